import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from 'test/utils/wait';

const FIXTURE = join(__dirname, '..', 'fixtures', 'slow-worker.cjs');

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Reads the fixture's log: which worker ran and completed which task. */
export function readFixtureLog(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
}

/** Starts test/fixtures/slow-worker.cjs (the compiled worker) with exactly this environment. */
export async function startWorkerProcess(env: Record<string, string>, logFile: string): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [FIXTURE], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env, FIXTURE_LOG: logFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await waitFor(
    () => readFixtureLog(logFile).includes(`ready ${child.pid}`) || child.exitCode !== null,
    30_000,
    'worker process ready',
  );
  if (child.exitCode !== null) {
    throw new Error(`worker process exited early: ${output}`);
  }
  return { child, output: () => output, exit };
}
