import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DbConfig } from 'src/config/app.config';
import { entities } from 'src/database/entities';
import { migrations } from 'migrations/index';

const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** One place that turns DbConfig into TypeORM options, shared by the app and the migration CLI. */
export function dataSourceOptions(db: DbConfig): DataSourceOptions {
  const common = { entities, migrations, synchronize: false, migrationsRun: false, logging: false } as const;
  if (db.type === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      host: db.host,
      port: db.port,
      username: db.user,
      password: db.password,
      database: db.name,
      poolSize: db.poolSize,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      connectTimeout: 10_000,
    };
  }
  mkdirSync(dirname(db.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: db.path,
    enableWAL: true,
    timeout: SQLITE_BUSY_TIMEOUT_MS,
    prepareDatabase: (conn: { pragma(sql: string): unknown }) => {
      conn.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      conn.pragma('foreign_keys = ON');
    },
  };
}
