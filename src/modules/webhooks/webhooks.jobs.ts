import { TaskEntity, TaskStatus, TaskType } from 'src/modules/tasks/entities/task.entity';

/** A webhook job carries only the delivery id; the row holds the URL and the exact body. */
export interface WebhookJobData {
  deliveryId: string;
}

/** The body of a task's callback, as the contract fixes it. */
export interface WebhookPayload {
  taskId: string;
  type: TaskType;
  status: TaskStatus;
  result: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}

export function buildWebhookPayload(task: TaskEntity): WebhookPayload {
  return {
    taskId: task.id,
    type: task.type,
    status: task.status,
    result: task.result ?? null,
    error: task.errorCode ? { code: task.errorCode, message: task.errorMessage ?? '' } : null,
  };
}
