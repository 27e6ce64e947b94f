/**
 * Runs the real redis-server (apt's redis-server on CI). No mocks: the point is process lifecycle.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import * as ts from 'typescript';
import { EmbeddedRedis, RedisBinaryMissingError } from 'src/common/redis/embedded-redis';

const tempDirs: string[] = [];
const servers: EmbeddedRedis[] = [];
const children: ChildProcess[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-redis-'));
  tempDirs.push(dir);
  return dir;
}

async function start(dataDir: string): Promise<EmbeddedRedis> {
  const redis = await EmbeddedRedis.start({ dataDir });
  servers.push(redis);
  return redis;
}

async function withClient<T>(url: string, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await client.connect();
    return await use(client);
  } finally {
    client.disconnect();
  }
}

/** Zombie-aware: a dead child of a dead parent may linger unreaped, but no longer runs. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false; // reaped in between
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/** Strict: even a zombie counts, so this also proves the watchdog reaped redis. */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function expectNoProcess(pid: number): void {
  expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
}

function connectionError(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code));
  });
}

function parentPidOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function fakeBinary(dir: string, body: string): string {
  const file = path.join(dir, 'fake-redis-server');
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

/**
 * The module only imports Node built-ins, so plain transpilation yields a file a separate Node process can
 * require: the child runs the real start() and watchdog, exactly as dist/ would.
 */
function compiledModule(dir: string): string {
  const source = fs.readFileSync(path.join(__dirname, 'embedded-redis.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const file = path.join(dir, 'embedded-redis.js');
  fs.writeFileSync(file, outputText);
  return file;
}

interface ChildReport {
  pid: number;
  port: number;
}

/** Starts redis in a separate Node process; `afterStart` is JS run with `redis` in scope. */
async function startInChild(
  dataDir: string,
  afterStart: string,
): Promise<{ child: ChildProcess; report: ChildReport }> {
  const script = `
    const { EmbeddedRedis } = require(${JSON.stringify(compiledModule(tempDir()))});
    EmbeddedRedis.start({ dataDir: ${JSON.stringify(dataDir)} }).then(async (redis) => {
      process.stdout.write(JSON.stringify({ pid: redis.pid, port: redis.port }) + '\\n');
      ${afterStart}
    });
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const report = await new Promise<ChildReport>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString()) as ChildReport));
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
  return { child, report };
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((redis) => redis.stop()));
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
  }
  for (const dir of tempDirs.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('EmbeddedRedis', () => {
  it('starts a loopback redis-server that answers PING', async () => {
    const dataDir = path.join(tempDir(), 'nested', 'redis');
    const redis = await start(dataDir);

    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await withClient(redis.url, (client) => client.ping())).toBe('PONG');
    expect(fs.readFileSync(`/proc/${redis.pid}/comm`, 'utf8').trim()).toBe('redis-server');
    expect(fs.readFileSync(path.join(dataDir, 'redis-server.pid'), 'utf8').trim()).toBe(String(redis.pid));
    const config = await withClient(redis.url, (client) => client.config('GET', 'appendonly'));
    expect(config).toEqual(['appendonly', 'yes']);
  });

  it('keeps data across stop/start through the AOF, and stop leaves no process', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    await withClient(first.url, (client) => client.set('greeting', 'hello'));

    await first.stop();
    await first.stop(); // idempotent

    expectNoProcess(first.pid);
    expect(await connectionError(first.port)).toBe('ECONNREFUSED');
    expect(fs.existsSync(path.join(dataDir, 'redis-server.pid'))).toBe(false);
    const second = await start(dataDir);
    expect(await withClient(second.url, (client) => client.get('greeting'))).toBe('hello');
  });

  it('leaves no redis-server behind when the parent process is SIGKILLed', async () => {
    const { child, report } = await startInChild(tempDir(), 'setInterval(() => {}, 60_000);');
    const watchdogPid = parentPidOf(report.pid);
    expect(await withClient(`redis://127.0.0.1:${report.port}`, (client) => client.ping())).toBe('PONG');

    child.kill('SIGKILL');

    expect(await waitUntil(() => !exists(report.pid), 5000)).toBe(true);
    expectNoProcess(report.pid);
    expect(await connectionError(report.port)).toBe('ECONNREFUSED');
    expect(await waitUntil(() => !isRunning(watchdogPid), 2000)).toBe(true);
  });

  it('does not keep the parent alive, and its exit takes redis down', async () => {
    // Nothing else is pending in the child, so it must exit on its own right after start().
    const { child, report } = await startInChild(tempDir(), '');

    expect(await waitUntil(() => child.exitCode !== null, 3000)).toBe(true);
    expect(await waitUntil(() => !exists(report.pid), 5000)).toBe(true);
    expectNoProcess(report.pid);
  });

  it('lets the parent exit promptly after stop()', async () => {
    const { child, report } = await startInChild(
      tempDir(),
      `
      await redis.stop();
      process.stdout.write('stopped\\n');
    `,
    );
    const stoppedAt = await new Promise<number>((resolve) => child.stdout?.once('data', () => resolve(Date.now())));
    await exitOf(child);

    expect(Date.now() - stoppedAt).toBeLessThan(2500); // a leaked timer would hold it ~5 s
    expectNoProcess(report.pid);
  });

  it('kills a redis-server left on the same dataDir by a crashed run', async () => {
    const dataDir = tempDir();
    const pidFile = path.join(dataDir, 'redis-server.pid');
    const stale = spawn(
      'redis-server',
      // redis refuses to start with neither a TCP port nor a unix socket; a socket avoids picking a port.
      ['--port', '0', '--unixsocket', path.join(dataDir, 'stale.sock'), '--dir', dataDir, '--pidfile', pidFile],
      { stdio: 'ignore' },
    );
    children.push(stale);
    expect(await waitUntil(() => fs.existsSync(pidFile), 3000)).toBe(true);

    const redis = await start(dataDir);

    expect(isRunning(stale.pid ?? -1)).toBe(false);
    expect(await withClient(redis.url, (client) => client.ping())).toBe('PONG');
  });

  it('leaves alone a live process whose pid is in a stale pid file but is not redis', async () => {
    const dataDir = tempDir();
    const bystander = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(bystander);
    fs.writeFileSync(path.join(dataDir, 'redis-server.pid'), `${bystander.pid}\n`);

    const redis = await start(dataDir);

    expect(isRunning(bystander.pid ?? -1)).toBe(true);
    expect(redis.pid).not.toBe(bystander.pid);
  });

  it('throws RedisBinaryMissingError with install hints when the binary is not on PATH', async () => {
    const attempt = EmbeddedRedis.start({ dataDir: tempDir(), binary: 'redis-server-that-does-not-exist' });

    await expect(attempt).rejects.toBeInstanceOf(RedisBinaryMissingError);
    await expect(attempt).rejects.toThrow(/apt-get install -y redis-server.*brew install redis.*REDIS_URL/s);
  });

  it('reports the output of a redis-server that exits during startup', async () => {
    const dir = tempDir();
    const binary = fakeBinary(dir, 'echo "FATAL CONFIG FILE ERROR: bad directive" >&2; exit 1');

    const attempt = EmbeddedRedis.start({ dataDir: dir, binary });

    await expect(attempt).rejects.toThrow(/exited before accepting connections \(code 1\)[\s\S]*bad directive/);
  });

  it('gives up after startTimeoutMs and kills what it started', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'sleeper.pid');
    const binary = fakeBinary(dir, `echo $$ > '${pidFile}'; exec sleep 30`);

    const attempt = EmbeddedRedis.start({ dataDir: dir, binary, startTimeoutMs: 500 });

    await expect(attempt).rejects.toThrow('redis-server did not answer PING within 500 ms');
    expectNoProcess(Number(fs.readFileSync(pidFile, 'utf8')));
  });
});
