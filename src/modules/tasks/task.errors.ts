import { AppError } from 'src/common/errors/app-error';

/**
 * A failure inside a task. `retryable` failures (a provider hiccup, a lost connection) are tried
 * again with back-off; the others (bad input, corrupt media, a refusal) fail the task at once.
 * `code` is stable and shown to clients as `error.code`.
 */
export class TaskFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'TaskFailure';
  }

  static permanent(code: string, message: string): TaskFailure {
    return new TaskFailure(code, message, false);
  }

  static transient(code: string, message: string): TaskFailure {
    return new TaskFailure(code, message, true);
  }
}

/** Codes the engine itself assigns. */
export const TaskErrorCode = {
  Internal: 'INTERNAL',
  AttemptsExhausted: 'ATTEMPTS_EXHAUSTED',
  WorkerLost: 'WORKER_LOST',
  TimedOut: 'TIMED_OUT',
  UnknownType: 'UNKNOWN_TASK_TYPE',
} as const;

export const TaskErrors = {
  notFound: () => AppError.notFound('Task'),
  notCancellable: (status: string) => new AppError('CONFLICT', `Task is already ${status} and cannot be cancelled`),
  notRetryable: (status: string) =>
    new AppError('CONFLICT', `Only failed or cancelled tasks can be retried (this one is ${status})`),
  idempotencyMismatch: () => new AppError('CONFLICT', 'This Idempotency-Key was already used for a different request'),
  queueUnavailable: () =>
    new AppError(
      'SERVICE_UNAVAILABLE',
      'The task queue is unavailable; the task was saved and will start when it returns',
    ),
};
