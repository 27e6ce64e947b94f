import type { ValueTransformer } from 'typeorm';

/** JSON in a TEXT column: the same on SQLite and MySQL (whose JSON type SQLite lacks). */
export const jsonText: ValueTransformer = {
  to: (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value)),
  from: (value: string | null) => (value === null ? null : (JSON.parse(value) as unknown)),
};
