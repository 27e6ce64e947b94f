import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { spoolUpload, UploadTooLargeError } from 'src/modules/assets/upload-spooler';

function chunks(count: number, size: number, failAfter?: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (failAfter !== undefined && sent === failAfter) {
        this.destroy(new Error('client went away'));
      } else if (sent === count) {
        this.push(null);
      } else {
        this.push(Buffer.alloc(size, sent++ % 256));
      }
    },
  });
}

describe(spoolUpload.name, () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reelsmith-spool-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the stream to a temporary file and keeps the first bytes', async () => {
    const spooled = await spoolUpload(chunks(3, 40), dir, 1000);
    expect(spooled.sizeBytes).toBe(120);
    expect(spooled.head).toEqual(Buffer.concat([Buffer.alloc(40, 0), Buffer.alloc(24, 1)]));
    expect(readFileSync(spooled.path).length).toBe(120);
    await spooled.discard();
    expect(existsSync(spooled.path)).toBe(false);
  });

  it('stops at the limit and leaves nothing behind', async () => {
    await expect(spoolUpload(chunks(10, 100), dir, 950)).rejects.toBeInstanceOf(UploadTooLargeError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves nothing behind when the client goes away', async () => {
    await expect(spoolUpload(chunks(10, 100, 4), dir, 10_000)).rejects.toThrow('client went away');
    expect(readdirSync(dir)).toEqual([]);
  });
});
