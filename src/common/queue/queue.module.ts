import { BullModule, getQueueToken } from '@nestjs/bull';
import { Global, Inject, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import type { Queue, QueueOptions } from 'bull';
import { AppConfig } from 'src/config/app.config';
import { ALL_QUEUES, QueueName } from 'src/common/queue/queue.names';
import { RedisEndpoint, watchRedisErrors } from 'src/common/redis/redis.module';

// Finished jobs leave Redis by age and count (the task row keeps the history), so memory stays flat.
const REMOVE_ON_COMPLETE = { age: 3600, count: 1000 };
const REMOVE_ON_FAIL = { age: 24 * 3600, count: 5000 };

/** Options shared by every Bull queue object, the DI producers and the workers' own consumers. */
export function bullQueueOptions(redisUrl: string, config: AppConfig): QueueOptions & { redis: string } {
  return {
    redis: redisUrl,
    prefix: config.redis.queuePrefix,
    defaultJobOptions: { removeOnComplete: REMOVE_ON_COMPLETE, removeOnFail: REMOVE_ON_FAIL },
    settings: {
      // A job whose lock lapses is handed to another worker; our task lease decides who may write.
      lockDuration: config.tasks.leaseMs,
      stalledInterval: Math.max(1000, Math.floor(config.tasks.leaseMs / 2)),
      maxStalledCount: config.tasks.maxAttempts,
    },
  };
}

/** A queue without an 'error' listener would crash the process when Redis goes away. */
@Injectable()
class QueueErrorListeners implements OnModuleInit {
  constructor(
    @Inject(getQueueToken(QueueName.Tasks)) private readonly tasks: Queue,
    @Inject(getQueueToken(QueueName.Webhooks)) private readonly webhooks: Queue,
  ) {}

  onModuleInit(): void {
    for (const queue of [this.tasks, this.webhooks]) {
      watchRedisErrors(queue, new Logger(`Queue:${queue.name}`));
    }
  }
}

/** Bull on the shared Redis with every queue registered once, for producers, workers and bull-board. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [RedisEndpoint, AppConfig],
      useFactory: (endpoint: RedisEndpoint, config: AppConfig) => bullQueueOptions(endpoint.url, config),
    }),
    BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
  ],
  providers: [QueueErrorListeners],
  exports: [BullModule],
})
export class QueueModule {}
