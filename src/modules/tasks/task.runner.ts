import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { PROCESS_ROLE, ProcessRole, runsJobs } from 'src/config/process-role';
import { TaskEntity } from 'src/modules/tasks/entities/task.entity';
import { ProgressThrottle } from 'src/modules/tasks/progress-throttle';
import { TaskEventsBus } from 'src/modules/tasks/task-events.bus';
import { TaskContext, TaskHandlerRegistry } from 'src/modules/tasks/task-handler.registry';
import { TaskErrorCode, TaskFailure } from 'src/modules/tasks/task.errors';
import { TaskMetrics } from 'src/modules/tasks/task.metrics';
import { TaskQueue } from 'src/modules/tasks/task.queue';
import { TasksRepository } from 'src/modules/tasks/tasks.repository';
import { isTerminal, TasksService } from 'src/modules/tasks/tasks.service';

/** Why a run was stopped from outside; decides what happens to the row afterwards. */
export type AbortReason = 'cancelled' | 'lease-lost' | 'timeout' | 'shutdown';

class RunAborted extends Error {
  constructor(readonly reason: AbortReason) {
    super(`task run stopped: ${reason}`);
  }
}

/** Anything with a stable code and a retryable flag (TaskFailure, AiProviderError) classifies itself. */
function classify(error: unknown): TaskFailure {
  if (error instanceof TaskFailure) {
    return error;
  }
  const coded = error as { code?: unknown; retryable?: unknown; message?: unknown } | null;
  if (coded && typeof coded.code === 'string' && typeof coded.retryable === 'boolean') {
    return new TaskFailure(coded.code, typeof coded.message === 'string' ? coded.message : coded.code, coded.retryable);
  }
  // An unexpected error may be a passing fault: retried within the attempt bound, message kept generic.
  return TaskFailure.transient(TaskErrorCode.Internal, 'Unexpected error while processing the task');
}

export const retryDelayMs = (backoffMs: number, attempt: number) => backoffMs * 2 ** Math.max(0, attempt - 1);

/**
 * Runs one task: claims it (compare-and-set with a lease), keeps the lease alive, hands the work
 * to the handler of its type, and records the outcome only while it still holds the lease.
 */
@Injectable()
export class TaskRunner implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TaskRunner.name);
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, AbortController>();
  private stopControl?: () => Promise<void>;

  constructor(
    private readonly tasks: TasksRepository,
    private readonly handlers: TaskHandlerRegistry,
    private readonly events: TaskEventsBus,
    private readonly queue: TaskQueue,
    private readonly service: TasksService,
    private readonly metrics: TaskMetrics,
    private readonly config: AppConfig,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
  ) {}

  async onModuleInit(): Promise<void> {
    if (runsJobs(this.role)) {
      this.stopControl = await this.events.onControl((message) => {
        if (message.action === 'cancel') {
          this.running.get(message.taskId)?.abort(new RunAborted('cancelled'));
        }
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopControl?.();
  }

  get activeCount(): number {
    return this.running.size;
  }

  /** Stops every run in this process; each hands its task back to the queue for another worker. */
  releaseAll(): void {
    for (const controller of this.running.values()) {
      controller.abort(new RunAborted('shutdown'));
    }
  }

  async run(taskId: string, onProgress?: (percent: number) => void): Promise<void> {
    const before = await this.tasks.findById(taskId);
    if (!before || isTerminal(before)) {
      return;
    }
    const leaseOwner = `${this.workerId}:${randomUUID().slice(0, 8)}`;
    if (!(await this.tasks.claim(taskId, leaseOwner, this.config.tasks.leaseMs, before.startedAt))) {
      await this.failIfExhausted(taskId);
      return;
    }
    const task = (await this.tasks.findById(taskId))!;
    const handler = this.handlers.get(task.type);
    if (!handler) {
      await this.fail(
        task,
        leaseOwner,
        TaskFailure.permanent(TaskErrorCode.UnknownType, `No handler for ${task.type}`),
      );
      return;
    }
    const controller = new AbortController();
    this.running.set(taskId, controller);
    const stopTimers = this.startTimers(task, leaseOwner, controller);
    const stages = this.stageClock(task);
    try {
      const result = await handler(this.context(task, leaseOwner, controller, stages, onProgress));
      controller.signal.throwIfAborted();
      if (await this.tasks.finish(taskId, leaseOwner, { status: 'completed', result })) {
        stages.end();
        await this.service.announceFinished((await this.tasks.findById(taskId))!);
      }
    } catch (error) {
      await this.settleFailure(task, leaseOwner, controller.signal.aborted ? controller.signal.reason : error);
    } finally {
      stopTimers();
      this.running.delete(taskId);
    }
  }

  private context(
    task: TaskEntity,
    leaseOwner: string,
    controller: AbortController,
    stages: { enter(stage: string | null): void },
    onProgress?: (percent: number) => void,
  ): TaskContext {
    const throttle = new ProgressThrottle(task.progress, task.stage);
    return {
      task,
      attempt: task.attempts,
      signal: controller.signal,
      progress: async (percent, stage) => {
        const update = throttle.next(percent, stage);
        if (!update || controller.signal.aborted) {
          return;
        }
        stages.enter(update.stage);
        if (!(await this.tasks.updateProgress(task.id, leaseOwner, update.progress, update.stage))) {
          controller.abort(new RunAborted('lease-lost'));
          return;
        }
        onProgress?.(update.progress);
        await this.events.publish(task.id, { event: 'progress', data: update });
      },
    };
  }

  /** Heartbeat (extends the lease; a lost lease stops the run) and the per-run time limit. */
  private startTimers(task: TaskEntity, leaseOwner: string, controller: AbortController): () => void {
    const { leaseMs, timeoutMs } = this.config.tasks;
    const heartbeat = setInterval(
      () => {
        this.tasks.extendLease(task.id, leaseOwner, leaseMs).then(
          (held) => held || controller.abort(new RunAborted('lease-lost')),
          (error: Error) => this.logger.warn(`Heartbeat of task ${task.id} failed: ${error.message}`),
        );
      },
      Math.max(250, Math.floor(leaseMs / 3)),
    );
    const deadline = setTimeout(() => controller.abort(new RunAborted('timeout')), timeoutMs);
    return () => {
      clearInterval(heartbeat);
      clearTimeout(deadline);
    };
  }

  /** Times each stage for the duration histogram. */
  private stageClock(task: TaskEntity) {
    const startedAt = Date.now();
    let stage = task.stage;
    let stageStartedAt = startedAt;
    const seconds = (since: number) => (Date.now() - since) / 1000;
    return {
      enter: (next: string | null) => {
        if (next !== stage) {
          if (stage) {
            this.metrics.observeStage(task.type, stage, seconds(stageStartedAt));
          }
          stage = next;
          stageStartedAt = Date.now();
        }
      },
      end: () => {
        if (stage) {
          this.metrics.observeStage(task.type, stage, seconds(stageStartedAt));
        }
        this.metrics.observeStage(task.type, 'total', seconds(startedAt));
      },
    };
  }

  private async settleFailure(task: TaskEntity, leaseOwner: string, error: unknown): Promise<void> {
    if (error instanceof RunAborted) {
      if (error.reason === 'timeout') {
        await this.fail(task, leaseOwner, TaskFailure.permanent(TaskErrorCode.TimedOut, 'The task took too long'));
      } else if (error.reason === 'shutdown') {
        await this.retryLater(task, leaseOwner, 0);
      }
      // Cancelled or taken over: the row already says what happened; nothing to write.
      return;
    }
    const failure = classify(error);
    if (failure.code === TaskErrorCode.Internal) {
      this.logger.error({ err: error, taskId: task.id }, `Task ${task.id} hit an unexpected error`);
    }
    if (failure.retryable && task.attempts < task.maxAttempts) {
      await this.retryLater(task, leaseOwner, retryDelayMs(this.config.tasks.backoffMs, task.attempts), failure);
      return;
    }
    await this.fail(task, leaseOwner, failure);
  }

  private async retryLater(task: TaskEntity, leaseOwner: string, delayMs: number, failure?: TaskFailure) {
    const error = failure && { status: 'failed' as const, errorCode: failure.code, errorMessage: failure.message };
    if (!(await this.tasks.requeue(task.id, { leaseOwner }, error))) {
      return;
    }
    try {
      await this.tasks.markEnqueued(task.id, await this.queue.enqueue(task.id, delayMs));
    } catch (enqueueError) {
      this.logger.warn(`Retry of task ${task.id} left to the sweeper: ${(enqueueError as Error).message}`);
    }
  }

  private async fail(task: TaskEntity, leaseOwner: string, failure: TaskFailure): Promise<void> {
    const outcome = { status: 'failed' as const, errorCode: failure.code, errorMessage: failure.message };
    if (await this.tasks.finish(task.id, leaseOwner, outcome)) {
      await this.service.announceFinished((await this.tasks.findById(task.id))!);
    }
  }

  /** A task whose every attempt was used up (e.g. its workers kept dying) ends failed. */
  private async failIfExhausted(taskId: string): Promise<void> {
    const task = await this.tasks.findById(taskId);
    if (!task || task.attempts < task.maxAttempts || task.status !== 'queued') {
      return;
    }
    const message = `Gave up after ${task.attempts} attempts${task.errorMessage ? `: ${task.errorMessage}` : ''}`;
    if (await this.tasks.failIdle(taskId, 'queued', task.errorCode ?? TaskErrorCode.AttemptsExhausted, message)) {
      await this.service.announceFinished((await this.tasks.findById(taskId))!);
    }
  }
}
