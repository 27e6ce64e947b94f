import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import type { Readable } from 'node:stream';

export interface RunOptions {
  /** Aborting kills the whole process group: the program and anything it started. */
  signal?: AbortSignal;
  /** Called with each chunk of stdout (e.g. ffmpeg's -progress lines). */
  onStdout?: (chunk: string) => void;
  /** Called once the program runs, with its pid (also its process group id). */
  onSpawn?: (pid: number) => void;
  /** Keeps at most this many bytes of stderr for error messages. */
  stderrLimit?: number;
  /** A nice value (0–19) for work that should yield the CPU to more urgent processes. */
  niceness?: number;
  /**
   * The program's stdin, once it is ready: the program starts at once and waits on its input, so
   * its start-up overlaps whatever produces that input. A rejection closes stdin with nothing sent.
   * Without it, stdin is closed from the start.
   */
  input?: Promise<Readable>;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  pid: number;
}

export class ProcessAbortedError extends Error {
  constructor(readonly command: string) {
    super(`${command} was stopped`);
    this.name = 'ProcessAbortedError';
  }
}

// After SIGTERM a program gets this long to clean up before the group is SIGKILLed.
export const KILL_GRACE_MS = 1000;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Pipes `input` into `stdin` once it resolves. A program may stop reading early (ffprobe once it has
 * the header): the broken pipe is not an error, and `stop` releases an input it left unread.
 */
function feedStdin(stdin: NodeJS.WritableStream, input: Promise<Readable>): { stop: () => void } {
  let source: Readable | undefined;
  let stopped = false;
  stdin.on('error', () => undefined);
  input.then(
    (readable) => {
      source = readable;
      readable.on('error', () => stdin.end());
      if (stopped) {
        readable.destroy();
      } else {
        readable.pipe(stdin);
      }
    },
    () => stdin.end(),
  );
  return {
    stop: () => {
      stopped = true;
      source?.destroy();
    },
  };
}

/**
 * Runs a program with an argv array (never a shell) in its own process group, so that a cancel
 * stops it and every child it spawned. Resolves with its exit status; rejects only on abort or
 * when it cannot start.
 */
export function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const { signal, onStdout, stderrLimit = 16_384 } = options;
  // A failed input is the caller's to report; one never read (stopped before the start) is not "unhandled".
  options.input?.catch(() => undefined);
  if (signal?.aborted) {
    return Promise.reject(new ProcessAbortedError(command));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: [options.input ? 'pipe' : 'ignore', onStdout ? 'pipe' : 'ignore', 'pipe'],
    });
    const fed = options.input && feedStdin(child.stdin!, options.input);
    let stderr = '';
    let aborted = false;
    let forceKill: NodeJS.Timeout | undefined;
    const onAbort = () => {
      aborted = true;
      killGroup(child.pid!, 'SIGTERM');
      forceKill = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), KILL_GRACE_MS);
    };
    if (child.pid) {
      if (options.niceness) {
        try {
          setPriority(child.pid, options.niceness);
        } catch {
          // Not allowed or already gone: it runs at normal priority.
        }
      }
      options.onSpawn?.(child.pid);
    }
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => onStdout?.(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-stderrLimit);
    });
    child.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.once('close', (code, exitSignal) => {
      signal?.removeEventListener('abort', onAbort);
      fed?.stop();
      clearTimeout(forceKill);
      // The leader is gone; make sure nothing it started lingers in the group.
      killGroup(child.pid!, 'SIGKILL');
      if (aborted) {
        reject(new ProcessAbortedError(command));
      } else {
        resolve({ code, signal: exitSignal, stderr, pid: child.pid! });
      }
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
