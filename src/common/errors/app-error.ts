/** The contract's error codes and their HTTP statuses. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  field: string;
  message: string;
}

/**
 * An expected failure with a stable code. Services throw these (never HttpExceptions); the global
 * filter turns them into the contract's error body.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldError[],
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  static notFound(what: string): AppError {
    return new AppError('NOT_FOUND', `${what} not found`);
  }

  static validation(details: FieldError[], message = 'Validation failed'): AppError {
    return new AppError('VALIDATION_FAILED', message, details);
  }
}

const STATUS_CODES = new Map<number, ErrorCode>(
  (Object.entries(ERROR_STATUS) as [ErrorCode, number][])
    .filter(([code]) => code !== 'INVALID_CREDENTIALS')
    .map(([code, status]) => [status, code]),
);

/** The code for a bare HTTP status (framework errors carry no code of ours). */
export function codeForStatus(status: number): ErrorCode {
  return STATUS_CODES.get(status) ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
}
