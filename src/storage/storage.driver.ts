import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What a driver knows about a stored object. */
export interface StoredObject {
  key: string;
  sizeBytes: number;
  /** A strong, quoted validator that changes whenever the bytes change; opaque (not a content hash). */
  etag: string;
  /** Kept by S3; the local driver returns it only from `put`/`putFile` (callers keep MIME types in their rows). */
  contentType?: string;
}

export interface PutOptions {
  contentType?: string;
  /** Past this many bytes the put fails with StorageLimitError and nothing is kept. */
  maxBytes?: number;
  /** Aborting fails the put (AbortError) and nothing is kept. */
  signal?: AbortSignal;
}

export interface PutFileOptions extends PutOptions {
  /** Take the file over instead of copying it: on success the source path is gone. */
  move?: boolean;
}

/** Both ends inclusive, as in an HTTP `Range: bytes=start-end`; `end` past the last byte is clamped. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where every module keeps its bytes (uploads, synthesized voice, rendered videos), bound to the
 * local disk or S3 by STORAGE_DRIVER. Keys are made by callers (`assets/<ownerId>/<uuid>`) and
 * checked by the driver (see storage-key.ts); a user's file name never becomes a key.
 *
 * Writes are all-or-nothing: on any error, limit or abort, no object and no partial data remain.
 */
export abstract class StorageDriver {
  abstract readonly kind: 'local' | 's3';

  /** Streams `body` in (memory stays flat); replaces an existing object atomically. */
  abstract put(key: string, body: Readable, options?: PutOptions): Promise<StoredObject>;

  /** Stores a file produced on disk (renders, voice). */
  abstract putFile(key: string, localPath: string, options?: PutFileOptions): Promise<StoredObject>;

  /**
   * A stream of the object, or of one byte range of it. The caller must consume or destroy it.
   * Throws StorageNotFoundError, or StorageRangeError when `start` is past the end.
   */
  abstract get(key: string, range?: ByteRange): Promise<Readable>;

  abstract stat(key: string): Promise<StoredObject | null>;

  /** Idempotent: deleting a missing object succeeds. */
  abstract delete(key: string): Promise<void>;

  /**
   * Runs `fn` with a path to the object's bytes for tools that need one (ffprobe, ffmpeg). The path
   * is read-only and valid only until `fn` settles.
   */
  abstract withLocalFile<T>(key: string, fn: (path: string) => Promise<T>): Promise<T>;

  /** Resolves when the storage is reachable and writable (for readiness). */
  abstract ping(): Promise<void>;

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  /** Writes a private copy of the object to `path` (streamed), for work that changes or outlives it. */
  async copyToFile(key: string, path: string): Promise<void> {
    await pipeline(await this.get(key), createWriteStream(path));
  }
}
