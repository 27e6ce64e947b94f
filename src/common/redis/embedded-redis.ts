/**
 * A private redis-server for installs without REDIS_URL.
 *
 * Redis runs under a tiny Node watchdog whose stdin is a pipe from this process: when we die (even by SIGKILL)
 * the kernel closes the pipe and the watchdog stops redis, so no orphan keeps the port and the AOF busy.
 *
 * Only Node built-ins are imported on purpose: the SIGKILL spec transpiles this file and runs it standalone.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export interface EmbeddedRedisOptions {
  /** Where the AOF, pid file and redis' working directory live, e.g. `$DATA_DIR/redis`. Created if missing. */
  dataDir: string;
  /** Executable name looked up on PATH, or a path. Default `redis-server`. */
  binary?: string;
  /** How long to wait for the first PONG (AOF replay included). Default 10000. */
  startTimeoutMs?: number;
}

export class RedisBinaryMissingError extends Error {
  constructor(binary: string) {
    super(
      `${binary} not found on PATH. Install Redis (Debian/Ubuntu: \`apt-get install -y redis-server\`, ` +
        `macOS: \`brew install redis\`) or set REDIS_URL to use an existing Redis.`,
    );
    this.name = 'RedisBinaryMissingError';
  }
}

const PID_FILE = 'redis-server.pid';
const PORT_ATTEMPTS = 3;
const KILL_AFTER_MS = 3000;
const LOG_LINES_KEPT = 30;

/**
 * Runs as `node -e WATCHDOG_SOURCE -- <redis-server> <args...>`. Kept as a string so it works the same under
 * ts-jest and from dist/. Protocol: stdout gets `pid=<n>` then `exit=<code>:<signal>`; redis' own output goes
 * to our stderr. `stop` on stdin, stdin EOF, a termination signal or a vanished parent all stop redis.
 */
const WATCHDOG_SOURCE = `
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const [bin, ...args] = process.argv.slice(1);
const parentPid = process.ppid;
// The parent may be gone while we still have to stop redis: a failed write must not kill us.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

const redis = spawn(bin, args, { stdio: ['ignore', 2, 2] });
let stopping = false;
let finished = false;

function finish(report) {
  if (finished) return;
  finished = true;
  try { process.stdout.write(report + '\\n'); } catch {}
  process.exit(0);
}
function stop() {
  if (stopping) return;
  stopping = true;
  redis.kill('SIGTERM');
  setTimeout(() => redis.kill('SIGKILL'), ${KILL_AFTER_MS}).unref();
}
// process.ppid is a snapshot in Node 20, so read the live one; kill(pid, 0) covers non-Linux.
function parentGone() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== parentPid;
  } catch {}
  try { process.kill(parentPid, 0); return false; } catch (err) { return err.code !== 'EPERM'; }
}

redis.on('spawn', () => process.stdout.write('pid=' + redis.pid + '\\n'));
redis.on('error', (err) => {
  try { process.stderr.write(String(err.message) + '\\n'); } catch {}
  finish('exit=spawn-error:');
});
redis.on('exit', (code, signal) => finish('exit=' + code + ':' + signal));
process.stdin.on('data', (chunk) => { if (String(chunk).includes('stop')) stop(); });
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, stop);
// Dying here would orphan redis: whatever goes wrong, take redis down first.
process.on('uncaughtException', (err) => {
  try { process.stderr.write('watchdog: ' + err.message + '\\n'); } catch {}
  stop();
});
setInterval(() => { if (parentGone()) stop(); }, 500);
`;

type ProbeResult = 'pong' | 'loading' | 'down';

export class EmbeddedRedis {
  readonly url: string;
  private stopping?: Promise<void>;

  private constructor(
    readonly port: number,
    readonly pid: number,
    private readonly watchdog: Watchdog,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  static async start(opts: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
    const binary = resolveBinary(opts.binary ?? 'redis-server');
    const dataDir = path.resolve(opts.dataDir);
    fs.mkdirSync(dataDir, { recursive: true });
    await killStaleServer(dataDir);

    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const watchdog = new Watchdog(binary, redisArgs(dataDir, port));
      try {
        const pid = await watchdog.waitUntilReady(port, opts.startTimeoutMs ?? 10_000);
        watchdog.detachFromEventLoop();
        const redis = new EmbeddedRedis(port, pid, watchdog);
        track(redis);
        return redis;
      } catch (err) {
        await watchdog.terminate();
        // Another process grabbed the port between our probe and redis' bind.
        if (attempt < PORT_ATTEMPTS && watchdog.log().includes('Address already in use')) {
          continue;
        }
        throw err;
      }
    }
  }

  /** Graceful: redis fsyncs the AOF on SIGTERM. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      liveServers.delete(this);
      await this.watchdog.terminate();
    })();
    return this.stopping;
  }

  /** Best effort for a normal process exit: signals only, nothing async runs in an 'exit' handler. */
  killSync(): void {
    this.watchdog.killSync(this.pid);
  }
}

/** Wraps the watchdog child: its pid report, redis' output tail and its exit. */
class Watchdog {
  private readonly child: ChildProcess;
  private readonly exited: Promise<string>;
  private redisPid?: number;
  private exitReport?: string;
  private readonly logLines: string[] = [];

  constructor(binary: string, args: string[]) {
    // detached: a terminal Ctrl-C must not stop redis before the app's own graceful shutdown is done with it.
    this.child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, '--', binary, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    // Our end of stdin may already be closed when the watchdog dies; that is not an error for us.
    this.child.stdin?.on('error', () => undefined);
    onLines(this.child.stdout, (line) => this.onControl(line));
    // Always drained: a full pipe would block redis' logging, and so redis itself.
    onLines(this.child.stderr, (line) => this.keepLog(line));
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => resolve(`watchdog failed: ${err.message}`));
      this.child.once('close', () => resolve(this.exitReport ?? 'watchdog exited'));
    });
  }

  async waitUntilReady(port: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let exitedEarly: string | undefined;
    void this.exited.then((report) => (exitedEarly = report));

    while (Date.now() < deadline) {
      if (exitedEarly !== undefined) {
        throw this.startError(`redis-server exited before accepting connections (${exitedEarly})`);
      }
      if (this.redisPid !== undefined && (await probe(port)) === 'pong') {
        return this.redisPid;
      }
      await sleep(50);
    }
    throw this.startError(`redis-server did not answer PING within ${timeoutMs} ms`);
  }

  /** Asks the watchdog to stop redis and waits for both; falls back to SIGKILL if the watchdog hangs. */
  async terminate(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.ref(); // keep the loop alive until the watchdog is really gone
      this.child.stdin?.end('stop\n');
      if (!(await within(this.exited, KILL_AFTER_MS + 2000))) {
        this.killSync(this.redisPid, 'SIGKILL');
        // 'close' needs every holder of the pipes gone; don't hang on a stray grandchild.
        await within(this.exited, 1000);
      }
    }
    if (this.redisPid !== undefined) {
      await waitForExit(this.redisPid, 1000);
    }
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) {
      stream?.destroy();
    }
  }

  killSync(redisPid = this.redisPid, signal: NodeJS.Signals = 'SIGTERM'): void {
    sendSignal(redisPid, signal);
    sendSignal(this.child.pid, signal);
  }

  /** So an app that forgets stop() can still exit; the 'exit' hook and the watchdog then clean up. */
  detachFromEventLoop(): void {
    this.child.unref();
    const streams = [this.child.stdin, this.child.stdout, this.child.stderr] as (net.Socket | null)[];
    streams.forEach((stream) => stream?.unref());
  }

  log(): string {
    return this.logLines.join('\n');
  }

  private onControl(line: string): void {
    const [key, value] = line.split('=', 2);
    if (key === 'pid') {
      this.redisPid = Number(value);
    } else if (key === 'exit') {
      this.exitReport = describeExit(value);
    }
  }

  private keepLog(line: string): void {
    this.logLines.push(line);
    if (this.logLines.length > LOG_LINES_KEPT) {
      this.logLines.shift();
    }
  }

  private startError(message: string): Error {
    const log = this.log();
    const err = new Error(log ? `${message}. Last output:\n${log}` : message);
    err.stack = `Error: ${err.message}`; // the stack would only point into this file
    return err;
  }
}

const liveServers = new Set<EmbeddedRedis>();
let exitHookInstalled = false;

/** Installed on first start rather than on import, so merely importing this file has no side effects. */
function track(redis: EmbeddedRedis): void {
  liveServers.add(redis);
  if (exitHookInstalled) {
    return;
  }
  exitHookInstalled = true;
  process.on('exit', () => liveServers.forEach((server) => server.killSync()));
}

function redisArgs(dataDir: string, port: number): string[] {
  return [
    ...['--bind', '127.0.0.1', '--port', String(port), '--protected-mode', 'yes'],
    ...['--dir', dataDir, '--pidfile', path.join(dataDir, PID_FILE)],
    ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
    ...['--maxmemory-policy', 'noeviction', '--daemonize', 'no', '--logfile', ''],
  ];
}

/** Like `which`, without a shell. */
function resolveBinary(binary: string): string {
  if (binary.includes(path.sep)) {
    if (isExecutable(binary)) {
      return path.resolve(binary);
    }
    throw new RedisBinaryMissingError(binary);
  }
  // PATH is what a shell would search, not app configuration, so it does not belong in src/config.
  // eslint-disable-next-line no-restricted-properties
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const found = dirs.map((dir) => path.join(dir, binary)).find(isExecutable);
  if (!found) {
    throw new RedisBinaryMissingError(binary);
  }
  return found;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A redis-server left by a crashed run would share our AOF; stop it before starting a new one. */
async function killStaleServer(dataDir: string): Promise<void> {
  const pid = readPidFile(path.join(dataDir, PID_FILE));
  if (pid === undefined || !isAlive(pid) || !isRedisServingDir(pid, dataDir)) {
    return;
  }
  sendSignal(pid, 'SIGTERM');
  if (await waitForExit(pid, KILL_AFTER_MS)) {
    return;
  }
  sendSignal(pid, 'SIGKILL');
  await waitForExit(pid, 1000);
}

/** Exiting between our check and the signal is fine: that is what we wanted. */
function sendSignal(pid: number | undefined, signal: NodeJS.Signals): void {
  try {
    if (pid !== undefined) {
      process.kill(pid, signal);
    }
  } catch {
    // Already gone.
  }
}

function readPidFile(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Guards against pid reuse. redis rewrites its cmdline to `redis-server 127.0.0.1:<port>`, so `--dir` is not
 * visible there; but redis chdirs into `--dir`, so its cwd identifies the data dir. Without /proc we cannot
 * tell, and leave the process alone.
 */
function isRedisServingDir(pid: number, dataDir: string): boolean {
  try {
    const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/)[0];
    const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    return path.basename(argv0).startsWith('redis-server') && cwd === fs.realpathSync(dataDir);
  } catch {
    return false;
  }
}

/** A zombie still answers kill(pid, 0), but it no longer holds the port or the AOF. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) {
      return false;
    }
    await sleep(25);
  }
  return true;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One raw `PING`; avoids a client library's own reconnect and offline-queue logic during startup. */
function probe(port: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (result: ProbeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(500, () => done('down'));
    socket.once('error', () => done('down'));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (!reply.includes('\r\n')) {
        return;
      }
      if (reply.startsWith('+PONG')) {
        done('pong');
      } else {
        done(reply.startsWith('-LOADING') ? 'loading' : 'down');
      }
    });
  });
}

function onLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  let pending = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    lines.filter((line) => line.trim() !== '').forEach(onLine);
  });
}

function describeExit(report: string | undefined): string {
  const [code, signal] = (report ?? '').split(':');
  if (code === 'spawn-error') {
    return 'could not be spawned';
  }
  return signal && signal !== 'null' ? `signal ${signal}` : `code ${code}`;
}

/** Resolves true if `promise` settles within `ms`; the timer is cleared so it never holds the process open. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
