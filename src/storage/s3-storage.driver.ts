import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { addAbortSignal, pipeline as pipelineCallback, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CompleteMultipartUploadCommandOutput,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
  S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { ByteCounter } from 'src/storage/byte-counter';
import { ByteRange, PutFileOptions, PutOptions, StorageDriver, StoredObject } from 'src/storage/storage.driver';
import {
  StorageLimitError,
  StorageNotFoundError,
  StorageRangeError,
  StorageUnavailableError,
} from 'src/storage/storage.errors';
import { assertByteRange, assertStorageKey } from 'src/storage/storage-key';

export type S3Settings = AppConfig['storage']['s3'];

/**
 * 8 MiB parts: above S3's 5 MiB minimum, 10,000 parts reach 78 GiB (uploads stop at 2 GiB), and with
 * QUEUE_SIZE parts in flight plus one being filled a put holds about 24 MiB whatever the file size.
 */
export const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;
const PING_TIMEOUT_MS = 2000;

const statusOf = (error: unknown): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;

/** Failures of the SDK: service errors and wrapped ones carry `$metadata`; raw socket errors an errno code. */
function isSdkFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { name, code } = error as { name?: string; code?: unknown };
  return '$metadata' in error || name === 'TimeoutError' || (typeof code === 'string' && /^E[A-Z]+$/.test(code));
}

/** Builds the SDK client from config: explicit timeouts, keep-alive, path style for MinIO and friends. */
export function createS3Client(settings: S3Settings): S3Client {
  // Third-party S3 services often reject or mis-store the SDK's default CRC32 checksums (since 3.729).
  const checksums = settings.endpoint ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
  const agent = { keepAlive: true, maxSockets: 64 };
  const config: S3ClientConfig = {
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    requestChecksumCalculation: checksums,
    responseChecksumValidation: checksums,
    maxAttempts: 3,
    requestHandler: {
      connectionTimeout: 5_000,
      // Until response headers: an 8 MiB part over a slow link still fits.
      requestTimeout: 120_000,
      throwOnRequestTimeout: true,
      // Idle socket, also while a download streams: a stalled peer fails instead of hanging.
      socketTimeout: 60_000,
      httpAgent: agent,
      httpsAgent: agent,
    },
  };
  if (settings.accessKeyId && settings.secretAccessKey) {
    config.credentials = { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey };
  }
  return new S3Client(config);
}

/**
 * Objects in one bucket. Puts stream through `Upload` from lib-storage: a body that fits in one
 * part is a single PutObject, a larger one a multipart upload that is aborted on any failure.
 */
export class S3StorageDriver extends StorageDriver implements OnModuleDestroy {
  readonly kind = 's3';
  readonly bucket: string;

  constructor(
    settings: S3Settings,
    private readonly client: S3Client = createS3Client(settings),
  ) {
    super();
    if (!settings.bucket) {
      throw new Error('S3 storage needs a bucket (S3_BUCKET)');
    }
    this.bucket = settings.bucket;
  }

  onModuleDestroy(): void {
    // Keep-alive sockets would otherwise hold the process open.
    this.client.destroy();
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<StoredObject> {
    try {
      assertStorageKey(key);
    } catch (error) {
      body.destroy();
      throw error;
    }
    const counter = new ByteCounter(options.maxBytes);
    // The callback form returns the counter and destroys both streams when either fails; failures
    // are read from `errored` below.
    const counted = pipelineCallback(body, counter, () => undefined);
    let result: CompleteMultipartUploadCommandOutput;
    try {
      if (options.signal) {
        addAbortSignal(options.signal, counted);
      }
      // A failing body ends the part feeder with an error; Upload then aborts the multipart upload
      // (leavePartsOnError: false) before done() rejects, so nothing is left when put() rejects.
      const upload = new Upload({
        client: this.client,
        params: { Bucket: this.bucket, Key: key, Body: counted, ContentType: options.contentType },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
      });
      result = await upload.done();
    } catch (error) {
      // A body failure (limit, abort, source error) is reported as itself, not as what Upload made of it.
      const bodyError = counted.errored ?? body.errored;
      counted.destroy();
      throw bodyError ?? this.translate(error, key);
    }
    if (options.signal?.aborted) {
      // Aborted after the last byte was read: the object exists, so take it back.
      await this.delete(key);
      options.signal.throwIfAborted();
    }
    return {
      key,
      sizeBytes: counter.bytes,
      etag: result.ETag ?? (await this.stat(key))?.etag ?? '""',
      ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
    };
  }

  async putFile(key: string, localPath: string, options: PutFileOptions = {}): Promise<StoredObject> {
    const { size } = await stat(localPath);
    if (options.maxBytes !== undefined && size > options.maxBytes) {
      throw new StorageLimitError(options.maxBytes);
    }
    const stored = await this.put(key, createReadStream(localPath), options);
    if (options.move) {
      await unlink(localPath).catch(() => undefined);
    }
    return stored;
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertStorageKey(key);
    if (range) {
      assertByteRange(range);
    }
    try {
      const output = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      if (!(output.Body instanceof Readable)) {
        throw new StorageUnavailableError('S3 returned no body stream');
      }
      return output.Body;
    } catch (error) {
      throw this.translate(error, key, range);
    }
  }

  async stat(key: string): Promise<StoredObject | null> {
    assertStorageKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        key,
        sizeBytes: head.ContentLength ?? 0,
        etag: head.ETag ?? '""',
        ...(head.ContentType === undefined ? {} : { contentType: head.ContentType }),
      };
    } catch (error) {
      if (statusOf(error) === 404) {
        return null;
      }
      throw this.translate(error, key);
    }
  }

  async delete(key: string): Promise<void> {
    assertStorageKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (statusOf(error) !== 404) {
        throw this.translate(error, key);
      }
    }
  }

  async withLocalFile<T>(key: string, fn: (path: string) => Promise<T>): Promise<T> {
    assertStorageKey(key);
    const dir = await mkdtemp(join(tmpdir(), 'reelsmith-s3-'));
    try {
      // The key's last segment keeps any extension, which some ffmpeg demuxers go by.
      const path = join(dir, basename(key));
      await pipeline(await this.get(key), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
      return await fn(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async ping(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), {
        abortSignal: AbortSignal.timeout(PING_TIMEOUT_MS),
      });
    } catch (error) {
      const status = statusOf(error);
      const reason = `${(error as Error).name}${status ? ` (HTTP ${status})` : ''}`;
      throw new StorageUnavailableError(`S3 bucket ${this.bucket} is not usable: ${reason}`, { cause: error });
    }
  }

  /** SDK errors stop here: callers see our storage errors, never vendor types. */
  private translate(error: unknown, key: string, range?: ByteRange): unknown {
    // Only the SDK's own failures are translated; ours (and aborts) pass through.
    if (!isSdkFailure(error)) {
      return error;
    }
    const status = statusOf(error);
    if (status === 404) {
      return new StorageNotFoundError(key);
    }
    if (status === 416 && range) {
      return new StorageRangeError(key, `Range starts at ${range.start}, past the end of the object`);
    }
    const name = (error as Error | null)?.name ?? 'Error';
    return new StorageUnavailableError(`S3 ${name}${status ? ` (HTTP ${status})` : ''} on ${key}`, { cause: error });
  }
}
