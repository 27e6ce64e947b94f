import { createHash, randomBytes } from 'node:crypto';
import { BigIntStats, constants, createWriteStream } from 'node:fs';
import { access, copyFile, FileHandle, mkdir, open, opendir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ByteCounter } from 'src/storage/byte-counter';
import { ByteRange, PutFileOptions, PutOptions, StorageDriver, StoredObject } from 'src/storage/storage.driver';
import {
  InvalidStorageKeyError,
  StorageLimitError,
  StorageNotFoundError,
  StorageRangeError,
  StorageUnavailableError,
} from 'src/storage/storage.errors';
import { assertByteRange, assertStorageKey } from 'src/storage/storage-key';

/** `.<name>.<16 hex>.part`: keys never start a segment with a dot, so no object can look like this. */
const PARTIAL = /^\..+\.[0-9a-f]{16}\.part$/;
// A live writer bumps its temp file's mtime with every write; one untouched this long is an orphan.
const SWEEP_AFTER_MS = 60 * 60 * 1000;

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | null)?.code;
const isMissing = (error: unknown) => ['ENOENT', 'ENOTDIR', 'EISDIR'].includes(errnoOf(error) ?? '');

function ignoreMissing(error: unknown): void {
  if (!isMissing(error)) {
    throw error;
  }
}

function translate(error: unknown): unknown {
  const code = errnoOf(error);
  return code === 'ENOSPC' || code === 'EDQUOT'
    ? new StorageUnavailableError('storage disk is full', { cause: error })
    : error;
}

/**
 * Each put writes a new inode and rename keeps its mtime, so (inode, size, mtime in ns) changes
 * whenever the bytes do. Hashed so the inode number is not published.
 */
function etagOf(stats: BigIntStats): string {
  const fingerprint = `${stats.ino}:${stats.size}:${stats.mtimeNs}`;
  return `"${createHash('sha1').update(fingerprint).digest('hex').slice(0, 32)}"`;
}

/** fsync through a fresh descriptor: it flushes the inode's data whoever wrote it. */
async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Objects as files under `root` (`$DATA_DIR/storage`). A write goes to `.<name>.<random>.part` in
 * the target's directory, is fsynced, then renamed over the target (atomic on one filesystem), and
 * the directory is fsynced so the rename survives a crash.
 */
export class LocalStorageDriver extends StorageDriver implements OnApplicationBootstrap {
  readonly kind = 'local';
  readonly root: string;
  private readonly logger = new Logger(LocalStorageDriver.name);

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  onApplicationBootstrap(): void {
    // In the background: boot should not wait on a walk of the whole tree.
    this.sweepPartials().then(
      (removed) => removed > 0 && this.logger.log(`Removed ${removed} orphaned partial file(s)`),
      (error: unknown) => this.logger.warn(`Sweeping partial files failed: ${(error as Error).message}`),
    );
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<StoredObject> {
    try {
      const target = this.pathOf(key);
      return await this.writeAtomically(key, target, options, async (temp) => {
        const file = createWriteStream(temp, { flags: 'wx', mode: 0o644, flush: true });
        try {
          await pipeline(body, new ByteCounter(options.maxBytes), file, { signal: options.signal });
        } catch (error) {
          // An early abort rejects before the file is even open: wait for it to close, or the
          // temp file would appear after it was cleaned up.
          await new Promise<void>((resolve) => (file.closed ? resolve() : file.once('close', () => resolve())));
          throw error;
        }
      });
    } catch (error) {
      body.destroy();
      throw error;
    }
  }

  async putFile(key: string, localPath: string, options: PutFileOptions = {}): Promise<StoredObject> {
    const target = this.pathOf(key);
    const source = await stat(localPath);
    if (!source.isFile()) {
      throw new Error(`${localPath} is not a regular file`);
    }
    if (options.maxBytes !== undefined && source.size > options.maxBytes) {
      throw new StorageLimitError(options.maxBytes);
    }
    options.signal?.throwIfAborted();
    if (options.move && (await this.renameInto(localPath, target))) {
      return this.describe(key, await stat(target, { bigint: true }), options.contentType);
    }
    const stored = await this.writeAtomically(key, target, options, async (temp) => {
      await copyFile(localPath, temp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
      await syncPath(temp);
    });
    if (options.move) {
      await unlink(localPath).catch(ignoreMissing);
    }
    return stored;
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(key);
    if (range) {
      assertByteRange(range);
    }
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      ignoreMissing(error);
      throw new StorageNotFoundError(key);
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) {
        throw new StorageNotFoundError(key);
      }
      if (!range) {
        return handle.createReadStream();
      }
      if (range.start >= stats.size) {
        throw new StorageRangeError(key, `Range starts at ${range.start} but the object has ${stats.size} bytes`);
      }
      return handle.createReadStream({ start: range.start, end: Math.min(range.end, stats.size - 1) });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async stat(key: string): Promise<StoredObject | null> {
    const path = this.pathOf(key);
    try {
      const stats = await stat(path, { bigint: true });
      return stats.isFile() ? this.describe(key, stats) : null;
    } catch (error) {
      ignoreMissing(error);
      return null;
    }
  }

  async delete(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch(ignoreMissing);
  }

  async withLocalFile<T>(key: string, fn: (path: string) => Promise<T>): Promise<T> {
    if (!(await this.stat(key))) {
      throw new StorageNotFoundError(key);
    }
    return fn(this.pathOf(key));
  }

  async ping(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await access(this.root, constants.R_OK | constants.W_OK);
  }

  /** Removes temp files left by a crashed writer; returns how many. */
  async sweepPartials(olderThanMs = SWEEP_AFTER_MS): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    try {
      for await (const entry of await opendir(this.root, { recursive: true })) {
        if (!entry.isFile() || !PARTIAL.test(entry.name)) {
          continue;
        }
        const path = join(entry.parentPath, entry.name);
        const stats = await stat(path).catch(() => undefined);
        if (stats && stats.mtimeMs < cutoff) {
          await unlink(path).catch(ignoreMissing);
          removed++;
        }
      }
    } catch (error) {
      ignoreMissing(error);
    }
    return removed;
  }

  /** The file behind a key; validation already keeps it under root, checked again as a backstop. */
  pathOf(key: string): string {
    assertStorageKey(key);
    const path = join(this.root, ...key.split('/'));
    if (!path.startsWith(this.root + sep)) {
      throw new InvalidStorageKeyError(key, 'escapes the storage root');
    }
    return path;
  }

  private async writeAtomically(
    key: string,
    target: string,
    options: PutOptions,
    write: (temp: string) => Promise<void>,
  ): Promise<StoredObject> {
    const dir = dirname(target);
    let stats: BigIntStats;
    const temp = join(dir, `.${basename(target)}.${randomBytes(8).toString('hex')}.part`);
    try {
      await mkdir(dir, { recursive: true });
      await write(temp);
      options.signal?.throwIfAborted();
      stats = await stat(temp, { bigint: true });
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(ignoreMissing);
      throw translate(error);
    }
    await this.syncDir(dir);
    return this.describe(key, stats, options.contentType);
  }

  /** Takes a finished file over by rename; false when it lives on another filesystem. */
  private async renameInto(source: string, target: string): Promise<boolean> {
    await mkdir(dirname(target), { recursive: true });
    // The producer (ffmpeg, a spooler) may not have flushed it.
    await syncPath(source);
    try {
      await rename(source, target);
    } catch (error) {
      if (errnoOf(error) === 'EXDEV') {
        return false;
      }
      throw translate(error);
    }
    await this.syncDir(dirname(target));
    return true;
  }

  /** After a rename the object is in place; a failed directory fsync only weakens crash safety. */
  private async syncDir(dir: string): Promise<void> {
    await syncPath(dir).catch((error: unknown) =>
      this.logger.warn(`fsync of ${dir} failed: ${(error as Error).message}`),
    );
  }

  private describe(key: string, stats: BigIntStats, contentType?: string): StoredObject {
    return {
      key,
      sizeBytes: Number(stats.size),
      etag: etagOf(stats),
      ...(contentType === undefined ? {} : { contentType }),
    };
  }
}
