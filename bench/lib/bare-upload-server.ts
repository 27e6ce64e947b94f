/**
 * The reference for the upload benchmark: a bare `node:http` server that streams every request
 * body into a new file under the directory given as argv[2]. It answers 201 `{ path, bytes }`
 * once the file is closed; with `?fsync=1` it also fsyncs the file first (like our storage does).
 * Run as a child process so that it has its own event loop and RSS, like the app.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

class Counter extends Transform {
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: bare-upload-server <directory>\n');
  process.exit(2);
}

const server = createServer((req, res) => {
  const path = join(dir, randomUUID());
  const counter = new Counter();
  const fsync = new URL(req.url ?? '/', 'http://localhost').searchParams.get('fsync') === '1';
  pipeline(req, counter, createWriteStream(path))
    .then(() => (fsync ? fsyncFile(path) : undefined))
    .then(
      () => {
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ path, bytes: counter.bytes }));
      },
      async (error: Error) => {
        await rm(path, { force: true });
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(error.message);
      },
    );
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
