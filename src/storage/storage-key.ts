import { InvalidStorageKeyError } from 'src/storage/storage.errors';
import type { ByteRange } from 'src/storage/storage.driver';

// Fits the `storage_key varchar(255)` columns.
export const MAX_KEY_LENGTH = 255;
// Leaves room for the local driver's temp-name decoration within a file name's 255 bytes.
const MAX_SEGMENT_LENGTH = 200;
// A segment may not start with a dot: that rules out `.` and `..` and keeps dot-names for temp files.
const SEGMENT = /^[a-z0-9_-][a-z0-9_.-]*$/;

/** Why `key` is not a valid storage key, or undefined when it is. */
export function storageKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string' || key.length === 0) {
    return 'must be a non-empty string';
  }
  if (key.length > MAX_KEY_LENGTH) {
    return `must be at most ${MAX_KEY_LENGTH} characters`;
  }
  for (const segment of key.split('/')) {
    if (segment.length === 0) {
      return 'must not start or end with "/" or contain "//"';
    }
    if (!SEGMENT.test(segment)) {
      return 'segments use only [a-z0-9_.-] and do not start with "."';
    }
    if (segment.length > MAX_SEGMENT_LENGTH) {
      return `segments must be at most ${MAX_SEGMENT_LENGTH} characters`;
    }
  }
  return undefined;
}

export function isValidStorageKey(key: unknown): key is string {
  return storageKeyProblem(key) === undefined;
}

export function assertStorageKey(key: unknown): asserts key is string {
  const problem = storageKeyProblem(key);
  if (problem !== undefined) {
    throw new InvalidStorageKeyError(key, problem);
  }
}

/** A range is made by our HTTP layer from a stat; a malformed one is a bug. */
export function assertByteRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`Invalid byte range ${start}-${end}`);
  }
}
