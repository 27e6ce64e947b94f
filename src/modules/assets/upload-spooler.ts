import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SNIFF_BYTES } from 'src/modules/assets/magic-bytes';

export class UploadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The upload is larger than the limit of ${limit} bytes`);
    this.name = 'UploadTooLargeError';
  }
}

export interface SpooledFile {
  path: string;
  sizeBytes: number;
  /** The first bytes, for magic-number sniffing. */
  head: Buffer;
  discard(): Promise<void>;
}

/** Counts bytes as they pass, keeps the first few, and stops the stream past the limit. */
class Meter extends Transform {
  bytes = 0;
  head = Buffer.alloc(0);

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      done(new UploadTooLargeError(this.limit));
      return;
    }
    if (this.head.length < SNIFF_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, SNIFF_BYTES - this.head.length)]);
    }
    done(null, chunk);
  }
}

/**
 * Streams an upload to a private temporary file (memory stays flat whatever the size) so that
 * ffprobe can inspect it before anything is kept. Any failure removes the file.
 */
export async function spoolUpload(source: Readable, dir: string, limit: number): Promise<SpooledFile> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${randomUUID()}.part`);
  const discard = () => rm(path, { force: true });
  const meter = new Meter(limit);
  try {
    await pipeline(source, meter, createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    await discard();
    throw error;
  }
  return { path, sizeBytes: meter.bytes, head: meter.head, discard };
}
