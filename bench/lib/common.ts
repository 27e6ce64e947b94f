/** What both benchmarks share: settings, statistics, the table printer and the app they start. */
import { isBuildStale, runCommand } from './processes';

export const APP_ENTRY = 'dist/src/main.js';

/** A progress logger to stderr, tagged with the benchmark's name (stdout is for the figures). */
export const logger =
  (tag: string) =>
  (message: string): void => {
    process.stderr.write(`[${tag}] ${message}\n`);
  };

/** An integer setting from the environment, within bounds, or the fallback when unset. */
export function intSetting(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got ${raw}`);
  }
  return value;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

/** Rows as aligned columns: the first `leftColumns` left-aligned, the rest right-aligned. */
export function table(rows: string[][], leftColumns: number): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  return rows
    .map((row) =>
      row.map((cell, col) => (col < leftColumns ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  '),
    )
    .join('\n');
}

/** Runs `nest build` when dist/ is older than src/, so a benchmark never measures stale code. */
export async function ensureBuild(root: string, log: (message: string) => void): Promise<void> {
  if (!isBuildStale(root, APP_ENTRY)) {
    return;
  }
  log('dist/ is older than src/: running `nest build`');
  const result = await runCommand(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build'], { cwd: root });
  if (result.code !== 0) {
    throw new Error(`nest build failed (exit ${result.code}):\n${result.stdout}${result.stderr}`);
  }
}

/**
 * The app's environment: the parent's minus anything that would point it at shared services, with
 * its own data dir, a free port, offline providers and tokens that outlast a full run.
 */
export function appEnv(dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(REDIS_URL|QUEUE_PREFIX|DB_|S3_|STORAGE_|OPENAI_|JWT_|ADMIN_|AI_PROVIDER|ROLE|PORT)/.test(name)) {
      env[name] = value;
    }
  }
  return {
    ...env,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // A full run outlasts the default 15-minute access token.
    JWT_ACCESS_TTL_SECONDS: '86400',
    AI_PROVIDER: 'offline',
    ...extra,
  };
}
