import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { AppConfigModule } from 'src/config/config.module';
import { AppCacheModule } from 'src/common/cache/cache.module';
import { LoggingModule } from 'src/common/logging/logging.module';
import { MetricsModule } from 'src/common/metrics/metrics.module';
import { QueueModule } from 'src/common/queue/queue.module';
import { RedisModule } from 'src/common/redis/redis.module';
import { DatabaseModule } from 'src/database/database.module';
import { AuthModule } from 'src/modules/auth/auth.module';
import { HealthModule } from 'src/modules/health/health.module';

/** 'all' is the embedded default: the HTTP API and a worker in one process. */
export type ProcessRole = 'all' | 'api' | 'worker';

export interface AppModuleOptions {
  config: AppConfig;
  redisUrl: string;
  role: ProcessRole;
}

/** API and worker share every module; they differ only in what is mounted at bootstrap. */
@Module({})
export class AppModule {
  static forRoot({ config, redisUrl, role }: AppModuleOptions): DynamicModule {
    const serves = role !== 'worker';
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule,
        RedisModule.forRoot(redisUrl),
        DatabaseModule,
        QueueModule,
        AppCacheModule,
        ...(serves ? [AuthModule, HealthModule, MetricsModule] : []),
      ],
    };
  }
}
