import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessAbortedError, runProcess } from 'src/common/process/child-process.runner';
import { isAlive as alive } from 'test/utils/wait';

describe(runProcess.name, () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reelsmith-proc-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes arguments verbatim, with no shell to interpret them', async () => {
    const out: string[] = [];
    const result = await runProcess('printf', ['%s|', '$(id)', '; rm -rf /', '`x`'], {
      onStdout: (chunk) => out.push(chunk),
    });
    expect(result.code).toBe(0);
    expect(out.join('')).toBe('$(id)|; rm -rf /|`x`|');
  });

  it('reports a non-zero exit and keeps the tail of stderr', async () => {
    const result = await runProcess('sh', ['-c', 'echo boom >&2; exit 3'], { stderrLimit: 64 });
    expect(result).toMatchObject({ code: 3, stderr: 'boom\n' });
  });

  it.each([
    [10, 10],
    [undefined, 0],
  ])('runs at niceness %s when asked (nice %s)', async (niceness, expected) => {
    // sed reads its own nice value (stat field 19, the 17th after the name). It starts after the
    // pause, so it inherits what the shell was given right after it was spawned.
    const out: string[] = [];
    await runProcess('sh', ['-c', "sleep 0.2; sed 's/^.*) //' /proc/self/stat | cut -d' ' -f17"], {
      niceness,
      onStdout: (chunk) => out.push(chunk),
    });
    expect(Number(out.join('').trim())).toBe(expected);
  });

  it('rejects when the program does not exist', async () => {
    await expect(runProcess('/nonexistent/reelsmith-tool', [])).rejects.toThrow(/ENOENT/);
  });

  it('kills the whole process group on abort, grandchildren included, within the grace period', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const controller = new AbortController();
    const started = Date.now();
    const run = runProcess('sh', ['-c', `sleep 30 & echo $! > ${pidFile}; wait`], { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(grandchild)).toBe(true);
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(ProcessAbortedError);
    expect(Date.now() - started).toBeLessThan(2500);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(grandchild)).toBe(false);
  });

  describe('with input on stdin', () => {
    const collect = () => {
      const out: string[] = [];
      return { out, onStdout: (chunk: string) => out.push(chunk) };
    };

    it('starts at once and waits for the input', async () => {
      const { out, onStdout } = collect();
      let ready!: (input: Readable) => void;
      const input = new Promise<Readable>((resolve) => (ready = resolve));
      let pid = 0;
      const run = runProcess('sh', ['-c', 'echo up; cat'], { input, onStdout, onSpawn: (p) => (pid = p) });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(alive(pid)).toBe(true);
      expect(out.join('')).toBe('up\n');
      ready(Readable.from(['some ', 'text']));
      await expect(run).resolves.toMatchObject({ code: 0 });
      expect(out.join('')).toBe('up\nsome text');
    });

    it('closes stdin with nothing sent when the input fails', async () => {
      const { out, onStdout } = collect();
      const result = await runProcess('wc', ['-c'], { input: Promise.reject(new Error('no file')), onStdout });
      expect(result.code).toBe(0);
      expect(out.join('').trim()).toBe('0');
    });

    it('is not upset by a program that stops reading early, and lets go of the unread rest', async () => {
      const big = join(dir, 'big');
      writeFileSync(big, Buffer.alloc(8 << 20, 1));
      const source = createReadStream(big);
      const { out, onStdout } = collect();
      const result = await runProcess('head', ['-c', '3'], { input: Promise.resolve(source), onStdout });
      expect(result.code).toBe(0);
      expect(out.join('')).toBe('\x01\x01\x01');
      await new Promise((resolve) => setImmediate(resolve));
      expect(source.destroyed).toBe(true);
    });
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runProcess('true', [], { signal: controller.signal })).rejects.toBeInstanceOf(ProcessAbortedError);
  });
});
