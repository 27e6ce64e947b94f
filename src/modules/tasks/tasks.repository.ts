import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, In, IsNull, LessThan, Repository } from 'typeorm';
import { Page } from 'src/common/dto/pagination.dto';
import { isUniqueViolation } from 'src/database/errors';
import { JsonObject, TaskEntity, TaskStatus, TaskType } from 'src/modules/tasks/entities/task.entity';

export type NewTask = Pick<
  TaskEntity,
  'id' | 'ownerId' | 'type' | 'input' | 'maxAttempts' | 'idempotencyKey' | 'callbackUrl' | 'projectId' | 'videoId'
>;

export interface TaskListFilter {
  ownerId?: string;
  status?: TaskStatus;
  type?: TaskType;
  page: number;
  limit: number;
}

export interface TaskOutcome {
  status: 'completed' | 'failed';
  result?: JsonObject | null;
  errorCode?: string | null;
  errorMessage?: string | null;
}

/**
 * Every query on tasks. State changes are compare-and-set: each names the state it expects, and
 * returns whether it won, so a stale or duplicate run can never overwrite a newer state.
 */
@Injectable()
export class TasksRepository {
  constructor(@InjectRepository(TaskEntity) private readonly tasks: Repository<TaskEntity>) {}

  /** Inserts a queued task; null when (owner, idempotency key) already exists. */
  async create(task: NewTask): Promise<TaskEntity | null> {
    const now = new Date();
    const entity = this.tasks.create({
      ...task,
      status: 'queued',
      progress: 0,
      stage: null,
      attempts: 0,
      result: null,
      errorCode: null,
      errorMessage: null,
      jobId: null,
      enqueuedAt: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      startedAt: null,
      finishedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    try {
      // TypeORM's partial-entity typing cannot express the JSON columns' Record<string, unknown>.
      await this.tasks.insert(entity as never);
      return entity;
    } catch (error) {
      if (task.idempotencyKey && isUniqueViolation(error)) {
        return null;
      }
      throw error;
    }
  }

  findById(id: string): Promise<TaskEntity | null> {
    return this.tasks.findOneBy({ id });
  }

  findByIdempotencyKey(ownerId: string, idempotencyKey: string): Promise<TaskEntity | null> {
    return this.tasks.findOneBy({ ownerId, idempotencyKey });
  }

  /** Frees an expired key so it can name a new task. */
  async releaseIdempotencyKey(id: string): Promise<void> {
    await this.tasks.update({ id }, { idempotencyKey: null });
  }

  async list(filter: TaskListFilter): Promise<Page<TaskEntity>> {
    const where = {
      ...(filter.ownerId ? { ownerId: filter.ownerId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.type ? { type: filter.type } : {}),
    };
    const [items, total] = await this.tasks.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (filter.page - 1) * filter.limit,
      take: filter.limit,
    });
    return { items, total, page: filter.page, limit: filter.limit };
  }

  async markEnqueued(id: string, jobId: string): Promise<void> {
    await this.tasks.update({ id, status: 'queued' }, { jobId, enqueuedAt: new Date() });
  }

  /**
   * Takes a task for one run: a queued task, or an active one whose lease has lapsed (its worker
   * died). Counts the attempt. Only one caller can win.
   */
  async claim(id: string, leaseOwner: string, leaseMs: number, startedAt: Date | null): Promise<boolean> {
    const now = new Date();
    const result = await this.tasks
      .createQueryBuilder()
      .update(TaskEntity)
      .set({
        status: 'active',
        leaseOwner,
        leaseExpiresAt: new Date(now.getTime() + leaseMs),
        attempts: () => 'attempts + 1',
        startedAt: startedAt ?? now,
        updatedAt: now,
      })
      .where('id = :id', { id })
      .andWhere('attempts < max_attempts')
      .andWhere(
        new Brackets((qb) =>
          qb.where("status = 'queued'").orWhere("status = 'active' AND lease_expires_at < :now", { now }),
        ),
      )
      .execute();
    return (result.affected ?? 0) === 1;
  }

  async extendLease(id: string, leaseOwner: string, leaseMs: number): Promise<boolean> {
    const now = new Date();
    const result = await this.tasks.update(
      { id, status: 'active', leaseOwner },
      { leaseExpiresAt: new Date(now.getTime() + leaseMs), updatedAt: now },
    );
    return (result.affected ?? 0) === 1;
  }

  async updateProgress(id: string, leaseOwner: string, progress: number, stage: string | null): Promise<boolean> {
    const result = await this.tasks.update(
      { id, status: 'active', leaseOwner },
      { progress, stage, updatedAt: new Date() },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Ends the run that holds the lease; false when it no longer does (cancelled, taken over). */
  async finish(id: string, leaseOwner: string, outcome: TaskOutcome): Promise<boolean> {
    const now = new Date();
    const result = await this.tasks.update(
      { id, status: 'active', leaseOwner },
      {
        status: outcome.status,
        ...(outcome.status === 'completed' ? { progress: 100 } : {}),
        result: (outcome.result ?? null) as never,
        errorCode: outcome.errorCode ?? null,
        errorMessage: outcome.errorMessage ?? null,
        leaseOwner: null,
        leaseExpiresAt: null,
        finishedAt: now,
        updatedAt: now,
      },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Hands an active task back to the queue (retry after a transient failure, shutdown, lost lease). */
  async requeue(id: string, expected: { leaseOwner?: string; expiredBefore?: Date }, error?: TaskOutcome) {
    const now = new Date();
    const result = await this.tasks.update(
      {
        id,
        status: 'active',
        ...(expected.leaseOwner ? { leaseOwner: expected.leaseOwner } : {}),
        ...(expected.expiredBefore ? { leaseExpiresAt: LessThan(expected.expiredBefore) } : {}),
      },
      {
        status: 'queued',
        leaseOwner: null,
        leaseExpiresAt: null,
        jobId: null,
        enqueuedAt: null,
        ...(error ? { errorCode: error.errorCode ?? null, errorMessage: error.errorMessage ?? null } : {}),
        updatedAt: now,
      },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Fails a task that is not running (no attempts left, lease expired on the last attempt). */
  async failIdle(id: string, expectedStatus: TaskStatus, errorCode: string, errorMessage: string): Promise<boolean> {
    const now = new Date();
    const result = await this.tasks.update(
      { id, status: expectedStatus },
      {
        status: 'failed',
        errorCode,
        errorMessage,
        leaseOwner: null,
        leaseExpiresAt: null,
        finishedAt: now,
        updatedAt: now,
      },
    );
    return (result.affected ?? 0) === 1;
  }

  async cancel(id: string): Promise<boolean> {
    const now = new Date();
    const result = await this.tasks.update(
      { id, status: In(['queued', 'active']) },
      { status: 'cancelled', leaseOwner: null, leaseExpiresAt: null, finishedAt: now, updatedAt: now },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Puts a failed or cancelled task back to the start. */
  async resetForRetry(id: string): Promise<boolean> {
    const result = await this.tasks.update(
      { id, status: In(['failed', 'cancelled']) },
      {
        status: 'queued',
        progress: 0,
        stage: null,
        attempts: 0,
        result: null,
        errorCode: null,
        errorMessage: null,
        jobId: null,
        enqueuedAt: null,
        startedAt: null,
        finishedAt: null,
        updatedAt: new Date(),
      },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Queued rows that never reached Redis (outbox). */
  findUnenqueued(olderThan: Date, limit: number): Promise<TaskEntity[]> {
    return this.tasks.find({
      where: { status: 'queued', enqueuedAt: IsNull(), updatedAt: LessThan(olderThan) },
      order: { createdAt: 'ASC' },
      take: limit,
    });
  }

  /** Queued rows sent to Redis a while ago: their job may have been lost (FLUSHALL, failover). */
  findEnqueuedBefore(before: Date, limit: number): Promise<TaskEntity[]> {
    return this.tasks.find({
      where: { status: 'queued', enqueuedAt: LessThan(before) },
      order: { enqueuedAt: 'ASC' },
      take: limit,
    });
  }

  findExpiredLeases(now: Date, limit: number): Promise<TaskEntity[]> {
    return this.tasks.find({
      where: { status: 'active', leaseExpiresAt: LessThan(now) },
      order: { leaseExpiresAt: 'ASC' },
      take: limit,
    });
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.tasks
      .createQueryBuilder('t')
      .select('t.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .groupBy('t.status')
      .getRawMany<{ status: string; count: string | number }>();
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
  }
}
