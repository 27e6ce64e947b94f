import { AppError } from 'src/common/errors/app-error';

/** The body passed `maxBytes`; nothing was kept. Answers 413 if it reaches the HTTP layer. */
export class StorageLimitError extends AppError {
  constructor(readonly limitBytes: number) {
    super('PAYLOAD_TOO_LARGE', `The upload is larger than the limit of ${limitBytes} bytes`);
    this.name = 'StorageLimitError';
  }
}

export class StorageNotFoundError extends AppError {
  constructor(readonly key: string) {
    super('NOT_FOUND', 'File not found');
    this.name = 'StorageNotFoundError';
  }
}

/** The storage service failed or could not be reached (network, credentials, disk full). */
export class StorageUnavailableError extends AppError {
  // AppError's message reaches clients; the reason and cause are for the logs.
  constructor(
    readonly reason: string,
    options: { cause?: unknown } = {},
  ) {
    super('SERVICE_UNAVAILABLE', 'Storage is unavailable');
    this.name = 'StorageUnavailableError';
    this.cause = options.cause;
  }
}

/** Keys are made by our own code, so a bad one is a bug (500), never a user error. */
export class InvalidStorageKeyError extends Error {
  constructor(
    readonly key: unknown,
    reason: string,
  ) {
    super(`Invalid storage key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidStorageKeyError';
  }
}

/** A range that starts past the end of the object (HTTP 416). */
export class StorageRangeError extends RangeError {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'StorageRangeError';
  }
}
