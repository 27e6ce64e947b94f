import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { PROCESS_ROLE, ProcessRole, runsJobs } from 'src/config/process-role';
import { RedisClient } from 'src/common/redis/redis.module';
import { TaskErrorCode } from 'src/modules/tasks/task.errors';
import { TaskQueue } from 'src/modules/tasks/task.queue';
import { TaskRunner } from 'src/modules/tasks/task.runner';
import { TasksRepository } from 'src/modules/tasks/tasks.repository';
import { TasksService } from 'src/modules/tasks/tasks.service';
import { WebhooksService } from 'src/modules/webhooks/webhooks.service';

const BATCH = 100;

export interface ReconcileReport {
  enqueued: number;
  requeuedExpired: number;
  failedExpired: number;
  restoredLost: number;
}

/**
 * Makes Redis agree with the database again, whatever happened to Redis or to a worker:
 * - rows saved while Redis was unreachable are enqueued (outbox);
 * - active rows whose lease lapsed (their worker died) are queued again, or failed when no attempt is left;
 * - queued rows whose job Redis no longer has (FLUSHALL, failover) are enqueued again.
 * One process does a round at a time (a Redis lock); every change is a compare-and-set anyway.
 */
@Injectable()
export class TaskReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TaskReconciler.name);
  private timer?: NodeJS.Timeout;
  private round?: Promise<unknown>;

  constructor(
    private readonly tasks: TasksRepository,
    private readonly queue: TaskQueue,
    private readonly service: TasksService,
    private readonly runner: TaskRunner,
    private readonly webhooks: WebhooksService,
    private readonly redis: RedisClient,
    private readonly config: AppConfig,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
  ) {}

  onApplicationBootstrap(): void {
    if (runsJobs(this.role)) {
      this.timer = setInterval(() => {
        this.round ??= this.reconcileWithLock().finally(() => (this.round = undefined));
      }, this.config.tasks.reconcileIntervalMs);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  private async reconcileWithLock(): Promise<void> {
    const key = `${this.config.redis.queuePrefix}:reconciler-lock`;
    try {
      const locked = await this.redis.redis.set(
        key,
        this.runner.workerId,
        'PX',
        this.config.tasks.reconcileIntervalMs,
        'NX',
      );
      if (locked === 'OK') {
        await this.reconcile();
      }
    } catch (error) {
      this.logger.debug(`Reconcile round skipped: ${(error as Error).message}`);
    }
  }

  async reconcile(now = new Date()): Promise<ReconcileReport> {
    const report = { enqueued: 0, requeuedExpired: 0, failedExpired: 0, restoredLost: 0 };
    const grace = this.config.tasks.reconcileIntervalMs;
    for (const task of await this.tasks.findUnenqueued(new Date(now.getTime() - 2000), BATCH)) {
      report.enqueued += (await this.enqueue(task.id)) ? 1 : 0;
    }
    for (const task of await this.tasks.findExpiredLeases(now, BATCH)) {
      if (task.attempts >= task.maxAttempts) {
        const message = `The worker running it stopped responding ${task.attempts} times`;
        if (await this.tasks.failIdle(task.id, 'active', TaskErrorCode.WorkerLost, message)) {
          report.failedExpired++;
          await this.service.announceFinished((await this.tasks.findById(task.id))!);
        }
      } else if (await this.tasks.requeue(task.id, { expiredBefore: now })) {
        report.requeuedExpired += (await this.enqueue(task.id)) ? 1 : 0;
      }
    }
    for (const task of await this.tasks.findEnqueuedBefore(new Date(now.getTime() - grace), BATCH)) {
      const state = task.jobId ? await this.queue.jobState(task.jobId) : undefined;
      if (state === undefined || state === 'completed' || state === 'failed') {
        report.restoredLost += (await this.enqueue(task.id)) ? 1 : 0;
      }
    }
    await this.webhooks.enqueuePending();
    if (report.enqueued + report.requeuedExpired + report.failedExpired + report.restoredLost > 0) {
      this.logger.log(`Reconciled tasks: ${JSON.stringify(report)}`);
    }
    return report;
  }

  private async enqueue(taskId: string): Promise<boolean> {
    try {
      await this.tasks.markEnqueued(taskId, await this.queue.enqueue(taskId));
      return true;
    } catch (error) {
      this.logger.warn(`Could not enqueue task ${taskId}: ${(error as Error).message}`);
      return false;
    }
  }
}
