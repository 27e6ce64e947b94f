import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from 'src/database/transformers';

export const TASK_TYPES = ['script', 'voice', 'render', 'video'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const TASK_STATUSES = ['queued', 'active', 'completed', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TERMINAL_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'cancelled'];

/** A JSON object as stored in the input and result columns. */
export type JsonObject = Record<string, unknown>;

/**
 * The truth about a task. The Bull job carries only the id; every state change is a
 * compare-and-set on this row, so a stale or duplicate run cannot overwrite a newer state.
 */
@Entity('tasks')
export class TaskEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'owner_id', type: 'varchar', length: 36 }) ownerId!: string;
  @Column({ type: 'varchar', length: 16 }) type!: TaskType;
  @Column({ type: 'varchar', length: 16 }) status!: TaskStatus;
  @Column({ type: 'int', default: 0 }) progress!: number;
  @Column({ type: 'varchar', length: 32, nullable: true }) stage!: string | null;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column({ name: 'max_attempts', type: 'int' }) maxAttempts!: number;
  @Column({ name: 'project_id', type: 'varchar', length: 36, nullable: true }) projectId!: string | null;
  @Column({ name: 'video_id', type: 'varchar', length: 36, nullable: true }) videoId!: string | null;
  @Column({ type: 'text', transformer: jsonText }) input!: JsonObject;
  @Column({ type: 'text', nullable: true, transformer: jsonText }) result!: JsonObject | null;
  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true }) errorCode!: string | null;
  @Column({ name: 'error_message', type: 'varchar', length: 1000, nullable: true }) errorMessage!: string | null;
  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, nullable: true }) idempotencyKey!: string | null;
  @Column({ name: 'callback_url', type: 'varchar', length: 2048, nullable: true }) callbackUrl!: string | null;
  @Column({ name: 'job_id', type: 'varchar', length: 64, nullable: true }) jobId!: string | null;
  @Column({ name: 'enqueued_at', type: 'datetime', precision: 3, nullable: true }) enqueuedAt!: Date | null;
  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true }) leaseOwner!: string | null;
  @Column({ name: 'lease_expires_at', type: 'datetime', precision: 3, nullable: true }) leaseExpiresAt!: Date | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
  @Column({ name: 'started_at', type: 'datetime', precision: 3, nullable: true }) startedAt!: Date | null;
  @Column({ name: 'finished_at', type: 'datetime', precision: 3, nullable: true }) finishedAt!: Date | null;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt!: Date;
}
