import { Transform, TransformCallback } from 'node:stream';
import { StorageLimitError } from 'src/storage/storage.errors';

/** Counts bytes as they pass and fails the stream as soon as they exceed `maxBytes`. */
export class ByteCounter extends Transform {
  bytes = 0;

  constructor(private readonly maxBytes = Number.POSITIVE_INFINITY) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(new StorageLimitError(this.maxBytes));
      return;
    }
    done(null, chunk);
  }
}
