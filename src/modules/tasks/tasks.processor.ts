import { hostname } from 'node:os';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import Bull, { Job, Queue } from 'bull';
import { AppConfig } from 'src/config/app.config';
import { PROCESS_ROLE, ProcessRole, runsJobs } from 'src/config/process-role';
import { bullQueueOptions } from 'src/common/queue/queue.module';
import { QueueName } from 'src/common/queue/queue.names';
import { RedisClient, RedisEndpoint, watchRedisErrors } from 'src/common/redis/redis.module';
import { TaskJobData } from 'src/modules/tasks/task.queue';
import { TaskRunner } from 'src/modules/tasks/task.runner';

/**
 * The worker side of the tasks queue: a thin adapter from a job to TaskRunner.run. It owns its
 * consumer queue object so it can replace it when the consumer stops taking jobs (Bull #1873), and
 * writes a liveness record to Redis that operators (and tests) can read.
 */
@Injectable()
export class TasksProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TasksProcessor.name);
  private consumer?: Queue<TaskJobData>;
  private livenessTimer?: NodeJS.Timeout;
  private lastPickupAt = Date.now();
  private waitingSince?: number;
  private recoveries = 0;
  private stopping = false;

  constructor(
    private readonly runner: TaskRunner,
    private readonly endpoint: RedisEndpoint,
    private readonly redis: RedisClient,
    private readonly config: AppConfig,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsJobs(this.role)) {
      return;
    }
    this.startConsumer();
    this.livenessTimer = setInterval(() => void this.checkLiveness(), this.config.tasks.reconcileIntervalMs);
    this.livenessTimer.unref();
  }

  /** Stops taking jobs, lets running ones finish within the bound, then hands the rest back. */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.consumer) {
      return;
    }
    this.stopping = true;
    clearInterval(this.livenessTimer);
    await this.consumer.pause(true, true).catch(() => undefined);
    const drainUntil = Date.now() + Math.max(0, this.config.shutdownTimeoutMs - 3000);
    while (this.runner.activeCount > 0 && Date.now() < drainUntil) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (this.runner.activeCount > 0) {
      this.logger.warn(`Releasing ${this.runner.activeCount} running task(s) back to the queue`);
      this.runner.releaseAll();
      while (this.runner.activeCount > 0) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await this.consumer.close(true).catch(() => undefined);
    await this.redis.redis.del(this.livenessKey).catch(() => undefined);
  }

  get livenessKey(): string {
    return `${this.config.redis.queuePrefix}:workers:${this.runner.workerId}`;
  }

  /** How often this worker replaced a consumer that had stopped taking jobs. */
  get recoveryCount(): number {
    return this.recoveries;
  }

  /** For fault tests: the consumer queue object this worker currently takes jobs from. */
  get currentConsumer(): Queue<TaskJobData> | undefined {
    return this.consumer;
  }

  async handleTask(job: Job<TaskJobData>): Promise<void> {
    this.lastPickupAt = Date.now();
    await this.runner.run(job.data.taskId, (percent) => void job.progress(percent).catch(() => undefined));
  }

  private startConsumer(): void {
    const consumer = new Bull<TaskJobData>(QueueName.Tasks, bullQueueOptions(this.endpoint.url, this.config));
    watchRedisErrors(consumer, this.logger);
    void consumer.process(this.config.worker.concurrency, (job) => this.handleTask(job));
    this.consumer = consumer;
  }

  /**
   * Writes the liveness record and notices a consumer that has free slots and waiting jobs but
   * has picked nothing up for a while; such a consumer is closed and replaced.
   */
  private async checkLiveness(): Promise<void> {
    if (this.stopping || !this.consumer) {
      return;
    }
    try {
      const record = {
        pid: process.pid,
        host: hostname(),
        active: this.runner.activeCount,
        lastPickupAt: new Date(this.lastPickupAt).toISOString(),
        recoveries: this.recoveries,
      };
      const ttlMs = this.config.tasks.reconcileIntervalMs * 3;
      await this.redis.redis.set(this.livenessKey, JSON.stringify(record), 'PX', ttlMs);
      const hasFreeSlot = this.runner.activeCount < this.config.worker.concurrency;
      const waiting = hasFreeSlot ? await this.consumer.getWaitingCount() : 0;
      if (waiting === 0) {
        this.waitingSince = undefined;
        return;
      }
      this.waitingSince ??= Date.now();
      const stuckFor = Date.now() - Math.max(this.waitingSince, this.lastPickupAt);
      if (stuckFor > this.config.tasks.reconcileIntervalMs * 3) {
        await this.replaceConsumer(waiting);
      }
    } catch (error) {
      this.logger.debug(`Liveness check skipped: ${(error as Error).message}`);
    }
  }

  private async replaceConsumer(waiting: number): Promise<void> {
    this.recoveries++;
    this.logger.warn(`Consumer took no job for a while with ${waiting} waiting; replacing it`);
    const stale = this.consumer;
    this.startConsumer();
    this.waitingSince = undefined;
    this.lastPickupAt = Date.now();
    // Jobs still running on the stale object finish through the task row; its Bull bookkeeping may not.
    await stale?.close(true).catch(() => undefined);
  }
}
