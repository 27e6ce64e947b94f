import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from 'src/config/app.config';
import { AuthController } from 'src/modules/auth/auth.controller';
import { AuthService } from 'src/modules/auth/auth.service';
import { RefreshTokenEntity } from 'src/modules/auth/entities/refresh-token.entity';
import { JwtAuthGuard } from 'src/modules/auth/guards/jwt-auth.guard';
import { resolveJwtSecret } from 'src/common/secrets/persisted-secret';
import { LoginThrottleService } from 'src/modules/auth/login-throttle.service';
import { PasswordHasher } from 'src/modules/auth/password.hasher';
import { RefreshTokensRepository } from 'src/modules/auth/refresh-tokens.repository';
import { UsersModule } from 'src/modules/users/users.module';

@Module({
  imports: [
    UsersModule,
    TypeOrmModule.forFeature([RefreshTokenEntity]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        // A KeyObject made once: given a string, jsonwebtoken first tries to parse it as a PEM
        // public key on every verify (a thrown error, ~4 ms of CPU per authenticated request).
        const key = createSecretKey(Buffer.from(resolveJwtSecret(config), 'utf8'));
        return {
          secretOrKeyProvider: () => key,
          // Pinned both ways: a token claiming another algorithm (or "none") is refused.
          signOptions: { algorithm: 'HS256' as const, issuer: 'reelsmith' },
          verifyOptions: { algorithms: ['HS256' as const], issuer: 'reelsmith' },
        };
      },
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    PasswordHasher,
    RefreshTokensRepository,
    LoginThrottleService,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [AuthService, LoginThrottleService],
})
export class AuthModule {}
