import { QueryFailedError } from 'typeorm';

/** True when an insert or update hit a unique index, on SQLite or MySQL. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) {
    return false;
  }
  const driverError = error.driverError as { code?: string } | undefined;
  return driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE' || driverError?.code === 'ER_DUP_ENTRY';
}
