import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { AppError } from 'src/common/errors/app-error';
import { Page } from 'src/common/dto/pagination.dto';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { JsonObject, TaskEntity, TaskType, TERMINAL_STATUSES } from 'src/modules/tasks/entities/task.entity';
import { TaskEvent, TaskEventsBus } from 'src/modules/tasks/task-events.bus';
import { TaskErrors } from 'src/modules/tasks/task.errors';
import { TaskQueue } from 'src/modules/tasks/task.queue';
import { TaskMetrics } from 'src/modules/tasks/task.metrics';
import { TaskListFilter, TasksRepository } from 'src/modules/tasks/tasks.repository';
import { CallbackUrlGuard } from 'src/modules/webhooks/url-guard';
import { WebhooksService } from 'src/modules/webhooks/webhooks.service';

export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;

export interface CreateTaskParams {
  ownerId: string;
  type: TaskType;
  input: JsonObject;
  idempotencyKey?: string;
  callbackUrl?: string;
  projectId?: string | null;
  videoId?: string | null;
}

export interface CreatedTask {
  task: TaskEntity;
  /** True when an Idempotency-Key matched an earlier request and its task came back. */
  replayed: boolean;
}

export const isTerminal = (task: Pick<TaskEntity, 'status'>) => TERMINAL_STATUSES.includes(task.status);

/** The terminal event of a finished task, as SSE clients and `?wait=` see it. */
export function terminalEvent(task: TaskEntity): TaskEvent {
  switch (task.status) {
    case 'completed':
      return { event: 'completed', data: { result: task.result } };
    case 'failed':
      return { event: 'failed', data: { error: { code: task.errorCode, message: task.errorMessage } } };
    default:
      return { event: 'cancelled', data: {} };
  }
}

@Injectable()
export class TasksService {
  private readonly logger = new Logger(TasksService.name);

  constructor(
    private readonly tasks: TasksRepository,
    private readonly queue: TaskQueue,
    private readonly events: TaskEventsBus,
    private readonly webhooks: WebhooksService,
    private readonly callbackGuard: CallbackUrlGuard,
    private readonly metrics: TaskMetrics,
    private readonly config: AppConfig,
  ) {}

  /**
   * Saves the task, then enqueues it with a bounded wait. If Redis does not answer, the row stays
   * queued for the outbox sweeper and the caller gets 503 (a retry with the same Idempotency-Key
   * returns this very task).
   */
  async create(params: CreateTaskParams): Promise<CreatedTask> {
    if (params.callbackUrl) {
      await this.callbackGuard.assertAllowed(params.callbackUrl);
    }
    const task = await this.insertOnce(params);
    if (task.replayed) {
      return task;
    }
    await this.enqueueOrExplain(task.task);
    return task;
  }

  async findVisible(user: AuthUser, id: string): Promise<TaskEntity> {
    const task = await this.tasks.findById(id);
    if (!task || (task.ownerId !== user.id && user.role !== 'admin')) {
      throw TaskErrors.notFound();
    }
    return task;
  }

  list(user: AuthUser, filter: Omit<TaskListFilter, 'ownerId'>): Promise<Page<TaskEntity>> {
    return this.tasks.list({ ...filter, ownerId: user.id });
  }

  async cancel(user: AuthUser, id: string): Promise<TaskEntity> {
    const task = await this.findOwned(user, id);
    if (isTerminal(task) || !(await this.tasks.cancel(id))) {
      const current = (await this.tasks.findById(id)) ?? task;
      throw TaskErrors.notCancellable(current.status);
    }
    // The worker running it (any process) hears this and kills its child processes.
    await this.events.publishControl({ action: 'cancel', taskId: id });
    await this.queue.remove(task.jobId);
    const cancelled = (await this.tasks.findById(id))!;
    await this.announceFinished(cancelled);
    return cancelled;
  }

  async retry(user: AuthUser, id: string): Promise<TaskEntity> {
    const task = await this.findOwned(user, id);
    if (!['failed', 'cancelled'].includes(task.status) || !(await this.tasks.resetForRetry(id))) {
      const current = (await this.tasks.findById(id)) ?? task;
      throw TaskErrors.notRetryable(current.status);
    }
    const queued = (await this.tasks.findById(id))!;
    await this.enqueueOrExplain(queued);
    return (await this.tasks.findById(id))!;
  }

  /** Waits until the task finishes or the time is up; returns its latest state either way. */
  async waitForFinish(taskId: string, timeoutMs: number): Promise<TaskEntity> {
    let wake: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (wake = resolve));
    const unsubscribe = await this.events.subscribe(taskId, (event) => event.event !== 'progress' && wake());
    const timer = setTimeout(wake, timeoutMs);
    try {
      const current = await this.tasks.findById(taskId);
      if (current && !isTerminal(current)) {
        await finished;
      }
      return (await this.tasks.findById(taskId))!;
    } finally {
      clearTimeout(timer);
      await unsubscribe();
    }
  }

  /** Everything that follows a terminal state: the live event, the webhook, the metrics. */
  async announceFinished(task: TaskEntity): Promise<void> {
    this.metrics.recordFinished(task);
    await this.events.publish(task.id, terminalEvent(task));
    try {
      await this.webhooks.scheduleFor(task);
    } catch (error) {
      this.logger.error(`Could not schedule the webhook of task ${task.id}: ${(error as Error).message}`);
    }
  }

  /** Enqueues a saved task; on failure the outbox sweeper will, and the caller hears 503. */
  async enqueueOrExplain(task: TaskEntity): Promise<void> {
    try {
      await this.tasks.markEnqueued(task.id, await this.queue.enqueue(task.id));
    } catch (error) {
      this.logger.warn(`Task ${task.id} saved but not enqueued (${(error as Error).message}); the sweeper will`);
      const unavailable = TaskErrors.queueUnavailable();
      throw new AppError(unavailable.code, unavailable.message, undefined, { Location: `/api/v1/tasks/${task.id}` });
    }
  }

  private async findOwned(user: AuthUser, id: string): Promise<TaskEntity> {
    const task = await this.tasks.findById(id);
    if (!task || task.ownerId !== user.id) {
      throw TaskErrors.notFound();
    }
    return task;
  }

  /** Inserts the task, or finds the one an earlier request with the same Idempotency-Key made. */
  private async insertOnce(params: CreateTaskParams): Promise<CreatedTask> {
    for (let round = 0; round < 3; round++) {
      if (params.idempotencyKey) {
        const existing = await this.tasks.findByIdempotencyKey(params.ownerId, params.idempotencyKey);
        if (existing && Date.now() - existing.createdAt.getTime() < IDEMPOTENCY_WINDOW_MS) {
          if (existing.type !== params.type || !isDeepStrictEqual(existing.input, params.input)) {
            throw TaskErrors.idempotencyMismatch();
          }
          return { task: existing, replayed: true };
        }
        if (existing) {
          await this.tasks.releaseIdempotencyKey(existing.id);
        }
      }
      const created = await this.tasks.create({
        id: randomUUID(),
        ownerId: params.ownerId,
        type: params.type,
        input: params.input,
        maxAttempts: this.config.tasks.maxAttempts,
        idempotencyKey: params.idempotencyKey ?? null,
        callbackUrl: params.callbackUrl ?? null,
        projectId: params.projectId ?? null,
        videoId: params.videoId ?? null,
      });
      if (created) {
        return { task: created, replayed: false };
      }
      // Lost a race with a concurrent request carrying the same key: go round and return its task.
    }
    throw new Error('Idempotency key kept conflicting');
  }
}
