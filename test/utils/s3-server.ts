import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { S3Settings } from 'src/storage/s3-storage.driver';

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  /** Ready for `new S3StorageDriver(settings)`. */
  settings: Required<S3Settings>;
  /** The same as environment variables, for starting the app on this server. */
  env: Record<string, string>;
  /** Upload ids of multipart uploads that were started and neither completed nor aborted. */
  pendingUploads(): string[];
  /** Upload ids that received AbortMultipartUpload, in order. */
  abortedUploads: string[];
  stop(): Promise<void>;
}

/**
 * Runs in the child: s3rver with fixes where 3.7.1 departs from S3 in ways the storage contract
 * tests touch.
 * - AbortMultipartUpload answers 405: a middleware in front of its router implements it (the upload
 *   and its parts are gone) and reports each abort on stdout.
 * - Range: it reads the end with `||`, so `bytes=0-0` returns the whole object, and it serves ranges
 *   of an empty object; getObject is replaced by one that follows RFC 9110 (416 when unsatisfiable).
 * The child exits when its stdin closes, i.e. when the test process dies.
 */
const CHILD = `
const [modulePath, directory, bucket] = process.argv.slice(1);
const fs = require('fs');
const path = require('path');
const S3rver = require(modulePath);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
const S3Object = require(path.join(path.dirname(modulePath), 'models', 'object.js'));
const store = server.store;
store.getObject = async (bucketName, key, options = {}) => {
  let metadata;
  try {
    metadata = await store.getMetadata(bucketName, key);
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw error;
  }
  const size = Number(metadata['content-length']);
  const ranged = options.start !== undefined;
  const range = { start: options.start || 0, end: Math.min(options.end === undefined ? Infinity : options.end, size - 1) };
  const satisfiable = !ranged || (range.start < size && range.start <= range.end);
  const file = store.getResourcePath(bucketName, key, 'object');
  const object = new S3Object(bucketName, key, satisfiable ? fs.createReadStream(file, ranged ? range : {}) : null, metadata);
  if (ranged) object.range = range;
  return object;
};
server.middleware.unshift(async (ctx, next) => {
  const match = /^\\/([^/]+)\\/./.exec(ctx.path);
  const uploadId = ctx.query.uploadId;
  if (ctx.method !== 'DELETE' || !match || typeof uploadId !== 'string') {
    return next();
  }
  const dir = path.join(directory, match[1], '._S3rver_uploads', uploadId);
  if (!/^[0-9a-f]+$/.test(uploadId) || !fs.existsSync(dir)) {
    ctx.status = 404;
    ctx.body = '';
    return;
  }
  await fs.promises.rm(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ aborted: uploadId }) + '\\n');
  ctx.status = 204;
});
process.stdin.on('end', () => process.exit(0)).resume();
server.run().then(
  ({ port }) => process.stdout.write(JSON.stringify({ port }) + '\\n'),
  (error) => { console.error(error); process.exit(1); },
);
`;

function exited(child: ChildProcessWithoutNullStreams): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts s3rver (an S3-compatible server from npm) on a free port of 127.0.0.1 with one empty bucket. */
export async function startTestS3Server(bucket = 'reelsmith-test'): Promise<TestS3Server> {
  const directory = mkdtempSync(join(tmpdir(), 'reelsmith-s3rver-'));
  const child = spawn(process.execPath, ['-e', CHILD, require.resolve('s3rver'), directory, bucket], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const abortedUploads: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start: ${stderr}`)), 15_000);
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      let message: { port?: number; aborted?: string };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        return;
      }
      if (message.aborted) {
        abortedUploads.push(message.aborted);
      }
      if (message.port) {
        clearTimeout(timer);
        resolve(message.port);
      }
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
    throw error;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver's fixed credentials.
  const settings = {
    endpoint,
    bucket,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  };
  const uploadsDir = join(directory, bucket, '._S3rver_uploads');
  return {
    endpoint,
    bucket,
    settings,
    env: {
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_REGION: settings.region,
      S3_ACCESS_KEY_ID: settings.accessKeyId,
      S3_SECRET_ACCESS_KEY: settings.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    },
    pendingUploads: () => (existsSync(uploadsDir) ? readdirSync(uploadsDir) : []),
    abortedUploads,
    stop: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited(child);
      clearTimeout(timer);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
