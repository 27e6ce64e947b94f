import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from 'src/config/app.config';
import { AuthErrors } from 'src/modules/auth/auth.errors';
import { LoginThrottleService } from 'src/modules/auth/login-throttle.service';
import { PasswordHasher } from 'src/modules/auth/password.hasher';
import { RefreshTokensRepository } from 'src/modules/auth/refresh-tokens.repository';
import { UserEntity, UserRole } from 'src/modules/users/entities/user.entity';
import { UsersRepository } from 'src/modules/users/users.repository';

export interface AuthUser {
  id: string;
  role: UserRole;
}

export interface AccessTokenClaims {
  sub: string;
  role: UserRole;
}

export interface IssuedTokens {
  user: UserEntity;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

// A valid-looking hash to verify against when the email is unknown, so timing does not reveal accounts.
const DUMMY_HASH_PASSWORD = randomBytes(16).toString('hex');

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottleService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureAdmin();
  }

  async register(email: string, password: string, displayName?: string): Promise<IssuedTokens> {
    const user = await this.users.create({
      id: randomUUID(),
      email,
      passwordHash: await this.hasher.hash(password),
      displayName: displayName?.trim() || email.split('@')[0],
      role: 'user',
    });
    if (!user) {
      throw AuthErrors.emailTaken();
    }
    return this.issue(user, randomUUID());
  }

  async login(email: string, password: string, ip: string): Promise<IssuedTokens> {
    await this.throttle.assertAllowed(email, ip);
    const user = await this.verifyCredentials(email, password);
    if (!user) {
      await this.throttle.recordFailure(email, ip);
      throw AuthErrors.invalidCredentials();
    }
    await this.throttle.recordSuccess(email, ip);
    return this.issue(user, randomUUID());
  }

  /** Rotates a refresh token. Presenting one that was already rotated revokes its whole family. */
  async refresh(presented: string): Promise<IssuedTokens> {
    const [id, secret] = presented.split('.');
    const token = id && secret ? await this.refreshTokens.findById(id) : null;
    if (!token || !timingSafeEqual(Buffer.from(token.tokenHash), Buffer.from(sha256(secret)))) {
      throw AuthErrors.invalidRefreshToken();
    }
    if (token.revokedAt || token.expiresAt.getTime() <= Date.now()) {
      throw AuthErrors.invalidRefreshToken();
    }
    if (token.usedAt || !(await this.refreshTokens.markUsed(token.id))) {
      this.logger.warn(`Refresh token reuse detected; revoking family ${token.familyId}`);
      await this.refreshTokens.revokeFamily(token.familyId);
      throw AuthErrors.invalidRefreshToken();
    }
    const user = await this.users.findById(token.userId);
    if (!user) {
      throw AuthErrors.invalidRefreshToken();
    }
    return this.issue(user, token.familyId);
  }

  async me(userId: string): Promise<UserEntity> {
    const user = await this.users.findById(userId);
    if (!user) {
      throw AuthErrors.unauthorized();
    }
    return user;
  }

  /** Verifies an access token; the algorithm is pinned in JwtModule's verify options. */
  async verifyAccessToken(token: string): Promise<AuthUser> {
    try {
      const claims = await this.jwt.verifyAsync<AccessTokenClaims>(token);
      return { id: claims.sub, role: claims.role };
    } catch {
      throw AuthErrors.unauthorized();
    }
  }

  /** Checks an email and password without issuing tokens (also HTTP Basic on admin pages). */
  async verifyCredentials(email: string, password: string): Promise<UserEntity | null> {
    const user = await this.users.findByEmail(email);
    // Unknown emails cost a hash too, so response time does not reveal which accounts exist.
    const valid = await this.hasher.verify(user?.passwordHash ?? (await this.getDummyHash()), password);
    return user && valid ? user : null;
  }

  private async issue(user: UserEntity, familyId: string): Promise<IssuedTokens> {
    const { accessTtlSeconds, refreshTtlSeconds } = this.config.auth;
    const claims: AccessTokenClaims = { sub: user.id, role: user.role };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: accessTtlSeconds });
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    await this.refreshTokens.create({
      id,
      userId: user.id,
      familyId,
      tokenHash: sha256(secret),
      expiresAt: new Date(Date.now() + refreshTtlSeconds * 1000),
    });
    return { user, accessToken, refreshToken: `${id}.${secret}`, expiresIn: accessTtlSeconds };
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(DUMMY_HASH_PASSWORD);
    return this.dummyHash;
  }

  /** Creates or promotes the admin named by ADMIN_EMAIL / ADMIN_PASSWORD. */
  private async ensureAdmin(): Promise<void> {
    const { adminEmail, adminPassword } = this.config.auth;
    if (!adminEmail || !adminPassword) {
      return;
    }
    const existing = await this.users.findByEmail(adminEmail);
    if (!existing) {
      const created = await this.users.create({
        id: randomUUID(),
        email: adminEmail,
        passwordHash: await this.hasher.hash(adminPassword),
        displayName: 'Administrator',
        role: 'admin',
      });
      // Another process may have created it in the same instant; then it exists and we are done.
      this.logger.log(created ? `Admin account ${adminEmail} created` : `Admin account ${adminEmail} exists`);
      return;
    }
    const passwordMatches = await this.hasher.verify(existing.passwordHash, adminPassword);
    if (existing.role !== 'admin' || !passwordMatches) {
      await this.users.update(existing.id, {
        role: 'admin',
        ...(passwordMatches ? {} : { passwordHash: await this.hasher.hash(adminPassword) }),
      });
      this.logger.log(`Admin account ${adminEmail} updated from ADMIN_EMAIL/ADMIN_PASSWORD`);
    }
  }
}
