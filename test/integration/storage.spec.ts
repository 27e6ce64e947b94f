import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { LocalStorageDriver } from 'src/storage/local-storage.driver';
import { createS3Client, PART_SIZE, S3StorageDriver } from 'src/storage/s3-storage.driver';
import { StorageDriver } from 'src/storage/storage.driver';
import {
  InvalidStorageKeyError,
  StorageLimitError,
  StorageNotFoundError,
  StorageRangeError,
  StorageUnavailableError,
} from 'src/storage/storage.errors';
import { freePort } from 'test/utils/redis-server';
import { startTestS3Server, TestS3Server } from 'test/utils/s3-server';

const MiB = 1024 * 1024;

interface Harness {
  driver: StorageDriver;
  /** Everything the backend holds: object keys, temp files, unfinished multipart uploads. */
  contents(): Promise<string[]>;
  /** How many multipart uploads were aborted so far (S3 only). */
  multipartAborts(): number;
  close(): Promise<void>;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

function localHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'reelsmith-storage-'));
  const driver = new LocalStorageDriver(join(dir, 'storage'));
  return Promise.resolve({
    driver,
    contents: () => Promise.resolve(listFiles(driver.root)),
    multipartAborts: () => 0,
    close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  });
}

async function s3Harness(): Promise<Harness> {
  const server: TestS3Server = await startTestS3Server();
  const client = createS3Client(server.settings);
  const driver = new S3StorageDriver(server.settings, client);
  return {
    driver,
    contents: async () => {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: server.bucket }));
      const keys = (listed.Contents ?? []).map((object) => object.Key ?? '');
      return [...keys, ...server.pendingUploads().map((id) => `multipart-upload:${id}`)].sort();
    },
    multipartAborts: () => server.abortedUploads.length,
    close: async () => {
      driver.onModuleDestroy();
      await server.stop();
    },
  };
}

/** A byte stream of `data` in chunks, as a network upload would arrive. */
function streamOf(data: Buffer, chunkSize = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < data.length; offset += chunkSize) {
        yield data.subarray(offset, offset + chunkSize);
      }
    })(),
    { objectMode: false },
  );
}

/** Sends `bytes` and then fails, like a client whose connection drops. */
function failingStream(bytes: number, error: Error): Readable {
  const chunk = randomBytes(MiB);
  return Readable.from(
    (async function* () {
      for (let sent = 0; sent < bytes; sent += chunk.length) {
        yield chunk;
        await new Promise((resolve) => setImmediate(resolve));
      }
      throw error;
    })(),
    { objectMode: false },
  );
}

/** An endless stream that runs `onChunk(n)` before its n-th MiB. */
function endlessStream(onChunk: (index: number) => void = () => undefined): Readable {
  const chunk = randomBytes(MiB);
  return Readable.from(
    (async function* () {
      for (let index = 0; ; index++) {
        onChunk(index);
        yield chunk;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })(),
    { objectMode: false },
  );
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const ETAG = /^"[^"]+"$/;
// 2.5 parts: the S3 driver uploads it as a real multipart upload with a short last part.
const BIG = 2 * PART_SIZE + 4 * MiB;

describe.each([
  ['local', localHarness],
  ['s3', s3Harness],
])('StorageDriver contract: %s', (_name, makeHarness) => {
  let harness: Harness;
  let sut: StorageDriver;
  let content: Buffer;
  let key: string;
  let seq = 0;
  const nextKey = () => `test/${_name}/object-${++seq}.bin`;

  beforeAll(async () => {
    harness = await makeHarness();
    sut = harness.driver;
    content = randomBytes(BIG);
    key = nextKey();
    await sut.put(key, streamOf(content), { contentType: 'application/octet-stream' });
  }, 60_000);

  afterAll(() => harness?.close());

  it('round-trips a multi-MiB stream byte for byte', async () => {
    const stored = await sut.stat(key);
    expect(stored).toMatchObject({ key, sizeBytes: BIG, etag: expect.stringMatching(ETAG) });
    expect((await readAll(await sut.get(key))).equals(content)).toBe(true);
  });

  it('answers ranges with exactly the requested bytes', async () => {
    const ranges: [string, number, number][] = [
      ['first byte', 0, 0],
      ['last byte', BIG - 1, BIG - 1],
      ['one byte in the middle', 5_000_001, 5_000_001],
      ['across a part boundary', PART_SIZE - 10, PART_SIZE + 9],
      ['a middle stretch', 123_457, 3 * MiB + 17],
    ];
    for (const [what, start, end] of ranges) {
      const bytes = await readAll(await sut.get(key, { start, end }));
      expect({ what, equal: bytes.equals(content.subarray(start, end + 1)) }).toEqual({ what, equal: true });
    }
  });

  it('clamps a range past the end and refuses one that starts past it', async () => {
    const tail = await readAll(await sut.get(key, { start: BIG - 10, end: BIG + 1000 }));
    expect(tail.equals(content.subarray(BIG - 10))).toBe(true);
    await expect(sut.get(key, { start: BIG, end: BIG + 5 })).rejects.toBeInstanceOf(StorageRangeError);
    await expect(sut.get(key, { start: 5, end: 4 })).rejects.toThrow(RangeError);
  });

  it('keeps the ETag stable until the bytes change', async () => {
    const k = nextKey();
    const first = await sut.put(k, streamOf(Buffer.from('version one')), { contentType: 'text/plain' });
    expect(first).toMatchObject({
      key: k,
      sizeBytes: 11,
      etag: expect.stringMatching(ETAG),
      contentType: 'text/plain',
    });
    expect((await sut.stat(k))?.etag).toBe(first.etag);
    expect((await sut.stat(k))?.etag).toBe(first.etag);

    // Same size, other bytes: the validator must change.
    const second = await sut.put(k, streamOf(Buffer.from('version two')));
    expect(second.etag).not.toBe(first.etag);
    expect((await sut.stat(k))?.etag).toBe(second.etag);
    expect((await readAll(await sut.get(k))).toString()).toBe('version two');
  });

  it('stores an empty object', async () => {
    const k = nextKey();
    expect(await sut.put(k, streamOf(Buffer.alloc(0)))).toMatchObject({ sizeBytes: 0 });
    expect(await readAll(await sut.get(k))).toHaveLength(0);
    await expect(sut.get(k, { start: 0, end: 0 })).rejects.toBeInstanceOf(StorageRangeError);
  });

  it('reports missing objects and deletes idempotently', async () => {
    const k = nextKey();
    expect(await sut.stat(k)).toBeNull();
    expect(await sut.exists(k)).toBe(false);
    await expect(sut.get(k)).rejects.toBeInstanceOf(StorageNotFoundError);
    await sut.delete(k);

    await sut.put(k, streamOf(Buffer.from('x')));
    expect(await sut.exists(k)).toBe(true);
    await sut.delete(k);
    await sut.delete(k);
    expect(await sut.stat(k)).toBeNull();
    await expect(sut.get(k)).rejects.toBeInstanceOf(StorageNotFoundError);
  });

  it('accepts exactly maxBytes', async () => {
    const k = nextKey();
    const stored = await sut.put(k, streamOf(randomBytes(MiB)), { maxBytes: MiB });
    expect(stored.sizeBytes).toBe(MiB);
    await sut.delete(k);
  });

  it('fails past maxBytes with StorageLimitError and leaves nothing, not even a replaced object', async () => {
    const before = await harness.contents();
    const aborts = harness.multipartAborts();
    const body = streamOf(randomBytes(BIG));
    await expect(sut.put(key, body, { maxBytes: PART_SIZE + MiB })).rejects.toBeInstanceOf(StorageLimitError);
    expect(body.destroyed).toBe(true);
    expect(await harness.contents()).toEqual(before);
    expect((await readAll(await sut.get(key))).equals(content)).toBe(true);
    if (sut.kind === 's3') {
      expect(harness.multipartAborts()).toBe(aborts + 1);
    }
  });

  it('fails when the body errors midway and leaves nothing', async () => {
    const before = await harness.contents();
    const aborts = harness.multipartAborts();
    const k = nextKey();
    const dropped = Object.assign(new Error('client went away'), { code: 'ECONNRESET' });
    await expect(sut.put(k, failingStream(PART_SIZE + 3 * MiB, dropped))).rejects.toBe(dropped);
    expect(await harness.contents()).toEqual(before);
    if (sut.kind === 's3') {
      expect(harness.multipartAborts()).toBe(aborts + 1);
    }
  });

  it('fails on abort and leaves nothing', async () => {
    const before = await harness.contents();
    const controller = new AbortController();
    const k = nextKey();
    const body = endlessStream((index) => index === 12 && controller.abort());
    await expect(sut.put(k, body, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(body.destroyed).toBe(true);
    expect(await harness.contents()).toEqual(before);

    // Aborted before it starts, many times over: no temp file may show up after the cleanup.
    for (let i = 0; i < 20; i++) {
      await expect(sut.put(k, endlessStream(), { signal: AbortSignal.abort() })).rejects.toMatchObject({
        name: 'AbortError',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await harness.contents()).toEqual(before);
  });

  it.each([
    '',
    '/leading-slash',
    'trailing/',
    'a//b',
    '..',
    'a/../b',
    '../escape',
    'a/./b',
    'a/.hidden',
    'Upper/Case',
    'with space',
    'back\\slash',
    'null\u0000byte',
    'ünïcode',
    'a:b',
    'x'.repeat(256),
  ])('refuses the key %j everywhere', async (bad) => {
    const before = await harness.contents();
    const body = streamOf(Buffer.from('payload'));
    await expect(sut.put(bad, body)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    expect(body.destroyed).toBe(true);
    await expect(sut.get(bad)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(sut.stat(bad)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(sut.delete(bad)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(sut.withLocalFile(bad, () => Promise.resolve())).rejects.toBeInstanceOf(InvalidStorageKeyError);
    expect(await harness.contents()).toEqual(before);
  });

  describe('withLocalFile', () => {
    it('gives a readable path to the bytes and cleans up after', async () => {
      let seen = '';
      const size = await sut.withLocalFile(key, (path) => {
        seen = path;
        return Promise.resolve(readFileSync(path).equals(content) ? statSync(path).size : -1);
      });
      expect(size).toBe(BIG);
      // The local driver hands out the object itself; S3 a temp copy that must be gone.
      expect(existsSync(seen)).toBe(sut.kind === 'local');
    });

    it('cleans up when the work fails, and refuses a missing key', async () => {
      let seen = '';
      const failure = new Error('ffprobe failed');
      await expect(
        sut.withLocalFile(key, (path) => {
          seen = path;
          return Promise.reject(failure);
        }),
      ).rejects.toBe(failure);
      expect(existsSync(seen)).toBe(sut.kind === 'local');

      const fn = jest.fn();
      await expect(sut.withLocalFile(nextKey(), fn)).rejects.toBeInstanceOf(StorageNotFoundError);
      expect(fn).not.toHaveBeenCalled();
    });
  });

  describe('putFile', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'reelsmith-putfile-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('copies a file, or takes it over with move', async () => {
      const data = randomBytes(3 * MiB);
      const source = join(dir, 'render.mp4');
      writeFileSync(source, data);

      const copied = await sut.putFile(nextKey(), source, { contentType: 'video/mp4' });
      expect(copied).toMatchObject({ sizeBytes: data.length, contentType: 'video/mp4' });
      expect(existsSync(source)).toBe(true);
      expect((await readAll(await sut.get(copied.key))).equals(data)).toBe(true);

      const moved = await sut.putFile(nextKey(), source, { move: true });
      expect(existsSync(source)).toBe(false);
      expect((await sut.stat(moved.key))?.etag).toBe(moved.etag);
      expect((await readAll(await sut.get(moved.key))).equals(data)).toBe(true);
    });

    it('refuses a file over maxBytes and keeps nothing', async () => {
      const before = await harness.contents();
      const source = join(dir, 'voice.wav');
      writeFileSync(source, randomBytes(2 * MiB));
      await expect(sut.putFile(nextKey(), source, { maxBytes: MiB, move: true })).rejects.toBeInstanceOf(
        StorageLimitError,
      );
      expect(existsSync(source)).toBe(true);
      expect(await harness.contents()).toEqual(before);
    });
  });

  it('answers ping', async () => {
    await expect(sut.ping()).resolves.toBeUndefined();
  });

  it('streams 200 MiB with flat memory', async () => {
    const chunk = randomBytes(MiB);
    const total = 200;
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < total; i++) {
          yield chunk;
        }
      })(),
      { objectMode: false },
    );
    const baseline = process.memoryUsage();
    const peak = { rss: baseline.rss, arrayBuffers: baseline.arrayBuffers };
    const sample = () => {
      const now = process.memoryUsage();
      peak.rss = Math.max(peak.rss, now.rss);
      peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
    };
    const sampler = setInterval(sample, 5);
    const started = performance.now();
    const k = nextKey();
    try {
      expect(await sut.put(k, body, { maxBytes: 2048 * MiB })).toMatchObject({ sizeBytes: total * MiB });
    } finally {
      clearInterval(sampler);
    }
    sample();
    const seconds = (performance.now() - started) / 1000;
    const rssGrowth = (peak.rss - baseline.rss) / MiB;
    const bufferGrowth = (peak.arrayBuffers - baseline.arrayBuffers) / MiB;
    console.info(
      `${sut.kind}: put ${total} MiB in ${seconds.toFixed(2)} s (${(total / seconds).toFixed(0)} MiB/s); ` +
        `peak growth: RSS ${rssGrowth.toFixed(1)} MiB, Buffers ${bufferGrowth.toFixed(1)} MiB`,
    );
    // Local streams through 64 KiB writes. S3 holds 3 parts of 8 MiB, and each finished part stays
    // allocated until V8 collects it (it starts only after about 64 MiB of new Buffer memory), so a
    // fresh process grows up to ~100 MiB on its first put and little after. Either way far below
    // the 200 MiB that buffering the body would cost.
    expect(rssGrowth).toBeLessThan(sut.kind === 'local' ? 64 : 128);
    await sut.delete(k);
  }, 120_000);
});

describe(LocalStorageDriver.name, () => {
  let dir: string;
  let sut: LocalStorageDriver;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reelsmith-local-'));
    sut = new LocalStorageDriver(join(dir, 'storage'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes through a dot-named temp file beside the target that is never visible as the object', async () => {
    let release: () => void = () => undefined;
    const paused = new Promise<void>((resolve) => (release = resolve));
    const controller = new AbortController();
    const body = Readable.from(
      (async function* () {
        yield Buffer.alloc(1024, 1);
        await paused;
        yield Buffer.alloc(1024, 2);
      })(),
      { objectMode: false },
    );
    const put = sut.put('renders/r1/final.mp4', body, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(listFiles(sut.root)).toEqual([expect.stringMatching(/^renders\/r1\/\.final\.mp4\.[0-9a-f]{16}\.part$/)]);
    expect(await sut.stat('renders/r1/final.mp4')).toBeNull();

    controller.abort();
    release();
    await expect(put).rejects.toMatchObject({ name: 'AbortError' });
    expect(listFiles(sut.root)).toEqual([]);
  });

  it('sweeps only partial files nobody has written to for a while', async () => {
    await sut.put('assets/u1/a', streamOf(Buffer.from('kept')));
    const stale = join(sut.root, 'assets', 'u1', '.b.0123456789abcdef.part');
    const fresh = join(sut.root, 'assets', 'u1', '.c.fedcba9876543210.part');
    writeFileSync(stale, 'crashed writer');
    writeFileSync(fresh, 'live writer');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);

    expect(await sut.sweepPartials()).toBe(1);
    expect(listFiles(sut.root)).toEqual(['assets/u1/.c.fedcba9876543210.part', 'assets/u1/a']);
    expect(await new LocalStorageDriver(join(dir, 'never-created')).sweepPartials()).toBe(0);
  });

  it('takes a file over by rename on the same filesystem', async () => {
    const source = join(dir, 'spooled.part');
    writeFileSync(source, 'spooled upload');
    const { ino } = statSync(source);
    const stored = await sut.putFile('assets/u1/b', source, { move: true, contentType: 'image/png' });
    expect(stored).toMatchObject({ sizeBytes: 14, contentType: 'image/png' });
    expect(statSync(sut.pathOf('assets/u1/b')).ino).toBe(ino);
    expect(existsSync(source)).toBe(false);
  });

  const tmpfs = '/dev/shm';
  (existsSync(tmpfs) ? it : it.skip)('falls back to copy and unlink when moving across filesystems', async () => {
    const elsewhere = mkdtempSync(join(tmpfs, 'reelsmith-'));
    try {
      const source = join(elsewhere, 'voice.wav');
      writeFileSync(source, 'RIFF....WAVE');
      const stored = await sut.putFile('voice/t1/v.wav', source, { move: true });
      expect(stored.sizeBytes).toBe(12);
      expect(existsSync(source)).toBe(false);
      expect(readFileSync(sut.pathOf('voice/t1/v.wav'), 'utf8')).toBe('RIFF....WAVE');
      expect(listFiles(sut.root)).toEqual(['voice/t1/v.wav']);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('keeps every path under the root', () => {
    expect(sut.pathOf('a/b')).toBe(join(sut.root, 'a', 'b'));
    expect(() => sut.pathOf('a/../../b')).toThrow(InvalidStorageKeyError);
  });

  it('fails its ping when the root cannot be a directory', async () => {
    writeFileSync(join(dir, 'a-file'), '');
    await expect(new LocalStorageDriver(join(dir, 'a-file')).ping()).rejects.toThrow(/EEXIST|ENOTDIR/);
  });
});

describe(S3StorageDriver.name, () => {
  let server: TestS3Server;
  let sut: S3StorageDriver;

  beforeAll(async () => {
    server = await startTestS3Server();
    sut = new S3StorageDriver(server.settings);
  });
  afterAll(async () => {
    sut?.onModuleDestroy();
    await server?.stop();
  });

  it('keeps the content type', async () => {
    await sut.put('voice/t1/scene-1.wav', streamOf(Buffer.from('RIFF')), { contentType: 'audio/wav' });
    expect(await sut.stat('voice/t1/scene-1.wav')).toMatchObject({ sizeBytes: 4, contentType: 'audio/wav' });
  });

  it('sends a body shorter than a part as one PutObject, so a failure leaves no upload behind', async () => {
    const aborts = server.abortedUploads.length;
    const failure = new Error('boom');
    await expect(sut.put('voice/t1/failed.wav', failingStream(2 * MiB, failure))).rejects.toBe(failure);
    expect(server.abortedUploads).toHaveLength(aborts);
    expect(server.pendingUploads()).toEqual([]);
    expect(await sut.stat('voice/t1/failed.wav')).toBeNull();
  });

  it('downloads withLocalFile into the temp dir under the key’s last segment', async () => {
    await sut.put('renders/r1/final.mp4', streamOf(Buffer.from('mp4')));
    const path = await sut.withLocalFile('renders/r1/final.mp4', (local) => Promise.resolve(local));
    expect(path.startsWith(tmpdir())).toBe(true);
    expect(path.endsWith('/final.mp4')).toBe(true);
    expect(existsSync(join(path, '..'))).toBe(false);
  });

  it('reports a missing bucket as unavailable storage', async () => {
    const other = new S3StorageDriver({ ...server.settings, bucket: 'no-such-bucket' });
    await expect(other.ping()).rejects.toMatchObject({
      name: 'StorageUnavailableError',
      reason: expect.stringContaining('HTTP 404'),
    });
    other.onModuleDestroy();
  });

  it('reports an unreachable endpoint as unavailable storage, without vendor errors', async () => {
    const closed = await freePort();
    const down = new S3StorageDriver({ ...server.settings, endpoint: `http://127.0.0.1:${closed}` });
    const body = streamOf(Buffer.from('payload'));
    await expect(down.put('a/b', body)).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(body.destroyed).toBe(true);
    await expect(down.stat('a/b')).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(down.get('a/b')).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(down.delete('a/b')).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(down.ping()).rejects.toBeInstanceOf(StorageUnavailableError);
    down.onModuleDestroy();
  });
});
