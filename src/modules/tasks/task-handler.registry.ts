import { Injectable } from '@nestjs/common';
import { JsonObject, TaskEntity, TaskType } from 'src/modules/tasks/entities/task.entity';

/** What a task handler gets for one run. */
export interface TaskContext {
  readonly task: Readonly<TaskEntity>;
  /** 1 on the first run, counting every claim. */
  readonly attempt: number;
  /** Aborted on cancel, lost lease, timeout or shutdown: stop child processes and clean up. */
  readonly signal: AbortSignal;
  /** Integer percent of this task (never decreasing) and the current step's name. */
  progress(percent: number, stage?: string): Promise<void>;
}

export type TaskHandler = (context: TaskContext) => Promise<JsonObject>;

/**
 * Feature modules register one handler per task type (a service method); the engine finds the
 * handler for a task's type and knows nothing else about the work.
 */
@Injectable()
export class TaskHandlerRegistry {
  private readonly handlers = new Map<TaskType, TaskHandler>();

  register(type: TaskType, handler: TaskHandler): void {
    this.handlers.set(type, handler);
  }

  get(type: TaskType): TaskHandler | undefined {
    return this.handlers.get(type);
  }
}
