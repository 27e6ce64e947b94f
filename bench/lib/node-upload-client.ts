/**
 * A small streaming upload client for the benchmark, run as a child process:
 *
 *   node-upload-client tus <origin> <token> <file> <chunkBytes>
 *     tus 1.0.0: POST /api/v1/uploads, then PATCHes of <chunkBytes> each, every chunk streamed
 *     from the file (fs.createReadStream with start/end, 1 MiB reads) over one keep-alive connection.
 *   node-upload-client put <url> <file>
 *     one PUT of the whole file, streamed: calibrates this client against curl on the bare server.
 *
 * Prints one JSON line: { status, seconds, bytes, id?, body? }. `seconds` runs from the first
 * request to the last response, like curl's time_total.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Agent, IncomingHttpHeaders, request } from 'node:http';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
// 1 MiB reads instead of the default 64 KiB: on 2 vCPUs the client otherwise competes with the
// server for CPU (measured against the bare server: ~2.8 s instead of ~3.6 s for 1 GiB).
const READ_CHUNK_BYTES = 1024 * 1024;

function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  file?: { path: string; start: number; length: number },
): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const req = request(url, {
      method,
      agent,
      headers: { ...headers, 'Content-Length': String(file ? file.length : 0) },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (!file || file.length === 0) {
      req.end();
      return;
    }
    const source = createReadStream(file.path, {
      start: file.start,
      end: file.start + file.length - 1,
      highWaterMark: READ_CHUNK_BYTES,
    });
    // The response may arrive (an error) before the body is sent; the response handler settles.
    pipeline(source, req).catch(reject);
  });
}

function report(result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  agent.destroy();
}

async function tusUpload(origin: string, token: string, path: string, chunkBytes: number): Promise<void> {
  const size = (await stat(path)).size;
  const auth = { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0' };
  const started = performance.now();
  const created = await send(`${origin}/api/v1/uploads`, 'POST', {
    ...auth,
    'Upload-Length': String(size),
    'Upload-Metadata': `filename ${Buffer.from(basename(path)).toString('base64')}`,
  });
  const location = created.headers.location;
  if (created.status !== 201 || !location) {
    report({ status: created.status, seconds: 0, bytes: 0, body: created.body });
    return;
  }
  const uploadUrl = new URL(location, origin).toString();
  let offset = 0;
  let last: Reply = created;
  while (offset < size) {
    const length = Math.min(chunkBytes, size - offset);
    last = await send(
      uploadUrl,
      'PATCH',
      { ...auth, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
      { path, start: offset, length },
    );
    const acknowledged = Number(last.headers['upload-offset']);
    if (last.status !== 204 || acknowledged !== offset + length) {
      break;
    }
    offset = acknowledged;
  }
  const seconds = (performance.now() - started) / 1000;
  report({ status: last.status, seconds, bytes: offset, id: uploadUrl.split('/').pop(), body: last.body });
}

async function putUpload(url: string, path: string): Promise<void> {
  const size = (await stat(path)).size;
  const started = performance.now();
  const reply = await send(
    url,
    'PUT',
    { 'Content-Type': 'application/octet-stream' },
    { path, start: 0, length: size },
  );
  const seconds = (performance.now() - started) / 1000;
  report({ status: reply.status, seconds, bytes: size, body: reply.body });
}

async function main(argv: string[]): Promise<void> {
  const [mode, ...args] = argv;
  if (mode === 'tus' && args.length === 4) {
    await tusUpload(args[0], args[1], args[2], Number(args[3]));
  } else if (mode === 'put' && args.length === 2) {
    await putUpload(args[0], args[1]);
  } else {
    throw new Error('usage: node-upload-client tus <origin> <token> <file> <chunkBytes> | put <url> <file>');
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
