import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ensureBuilt } from 'test/utils/built-app';
import { freePort } from 'test/utils/redis-server';
import { isAlive, waitFor } from 'test/utils/wait';

interface Started {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the compiled app the way `npm start` does, with only the environment given here. */
function run(main: string, env: Record<string, string>): Started {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exit };
}

describe('The Reelsmith process (e2e, compiled)', () => {
  let main: string;
  let dataDir: string;

  beforeAll(() => {
    main = ensureBuilt();
  }, 120_000);

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reelsmith-process-'));
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a bad setting with exit code 1 and one line naming the variable', async () => {
    const started = run(main, { DATA_DIR: dataDir, PORT: 'abc', DB_TYPE: 'oracle' });
    const { code } = await started.exit;
    expect(code).toBe(1);
    const lines = started.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: .*PORT.*DB_TYPE/);
  });

  it('starts embedded with no environment, is ready, and leaves no redis-server when SIGKILLed', async () => {
    const port = await freePort();
    const started = run(main, { DATA_DIR: dataDir, PORT: String(port) });
    await waitFor(() => started.output().includes('/health/ready'), 30_000, 'start-up banner');
    expect(started.output()).toContain(`http://localhost:${port}/docs`);
    await request(`http://127.0.0.1:${port}`).get('/health/ready').expect(200);

    const redisPid = Number(readFileSync(join(dataDir, 'redis', 'redis-server.pid'), 'utf8').trim());
    expect(isAlive(redisPid)).toBe(true);
    started.child.kill('SIGKILL');
    await started.exit;
    await waitFor(() => !isAlive(redisPid), 5000, 'private redis-server gone');
  }, 60_000);

  it('shuts down gracefully on SIGTERM with exit code 0', async () => {
    const port = await freePort();
    const started = run(main, { DATA_DIR: dataDir, PORT: String(port) });
    await waitFor(() => started.output().includes('/health/ready'), 30_000, 'start-up banner');
    const redisPid = Number(readFileSync(join(dataDir, 'redis', 'redis-server.pid'), 'utf8').trim());
    started.child.kill('SIGTERM');
    const exit = await started.exit;
    // The output rides along so a failure shows why shutdown did not finish cleanly.
    expect({ ...exit, output: started.output() }).toMatchObject({ code: 0, signal: null });
    expect(isAlive(redisPid)).toBe(false);
  }, 60_000);
});
