import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { RedisEndpoint } from 'src/common/redis/redis.module';

/** Bull on the shared Redis; feature modules register their own queues with BullModule.registerQueue. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [RedisEndpoint, AppConfig],
      useFactory: (endpoint: RedisEndpoint, config: AppConfig) => ({
        redis: endpoint.url,
        prefix: config.redis.queuePrefix,
      }),
    }),
  ],
})
export class QueueModule {}
