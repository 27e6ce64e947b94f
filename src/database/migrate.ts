import { DataSource } from 'typeorm';

const LOCK_NAME = 'reelsmith_migrations';
const LOCK_WAIT_SECONDS = 120;

/**
 * Applies pending migrations. On MySQL several processes may boot at once, so they take a named
 * lock first; SQLite serialises writers on its own.
 */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'mysql') {
    await dataSource.runMigrations({ transaction: 'all' });
    return;
  }
  const runner = dataSource.createQueryRunner();
  try {
    const [row] = (await runner.query('SELECT GET_LOCK(?, ?) AS acquired', [LOCK_NAME, LOCK_WAIT_SECONDS])) as {
      acquired: number | string;
    }[];
    if (Number(row?.acquired) !== 1) {
      throw new Error(`could not take the migration lock within ${LOCK_WAIT_SECONDS}s`);
    }
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
    }
  } finally {
    await runner.release();
  }
}
