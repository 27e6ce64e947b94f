import { createKeyv } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Logger, Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { RedisEndpoint, watchRedisErrors } from 'src/common/redis/redis.module';

/**
 * cache-manager 7 on the shared Redis through @keyv/redis, under its own key namespace so that
 * clearing the cache removes only cache keys (never Bull's). See docs/decisions.md.
 */
@Module({
  imports: [
    CacheModule.registerAsync({
      isGlobal: true,
      inject: [RedisEndpoint, AppConfig],
      useFactory: (endpoint: RedisEndpoint, config: AppConfig) => {
        const store = createKeyv(endpoint.url, {
          namespace: config.redis.cacheNamespace,
          throwOnConnectError: false,
          throwOnErrors: false,
          connectionTimeout: 2000,
        });
        watchRedisErrors(store, new Logger('Cache'));
        return { stores: [store], ttl: config.redis.cacheTtlMs };
      },
    }),
  ],
})
export class AppCacheModule {}
