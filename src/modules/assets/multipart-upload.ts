import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { AppError } from 'src/common/errors/app-error';
import { spoolUpload, SpooledFile, UploadTooLargeError } from 'src/modules/assets/upload-spooler';

export const FILE_FIELD = 'file';
// Room for the multipart envelope around the file itself.
const ENVELOPE_BYTES = 64 * 1024;

export interface ReceivedFile extends SpooledFile {
  originalName: string;
}

export const tooLarge = (limit: number) => new AppError('PAYLOAD_TOO_LARGE', `Uploads may be at most ${limit} bytes`);

const noFile = () =>
  AppError.validation([{ field: FILE_FIELD, message: 'must be a file sent as multipart/form-data' }]);

/** A user's file name is kept only as a label: no path parts, no control characters, bounded. */
export function cleanOriginalName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (cleaned || 'upload').slice(0, 255);
}

/**
 * Reads the `file` field of a multipart request into a temporary file, enforcing the size limit
 * while streaming. A request announcing more than the limit is refused before it is read.
 */
export function receiveMultipartFile(req: IncomingMessage, spoolDir: string, limit: number): Promise<ReceivedFile> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit + ENVELOPE_BYTES) {
    return Promise.reject(tooLarge(limit));
  }
  if (!String(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
    return Promise.reject(noFile());
  }
  return new Promise<ReceivedFile>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 4096, parts: 40 } });
    } catch {
      reject(noFile());
      return;
    }
    let received: Promise<ReceivedFile> | undefined;
    const fail = (error: Error) => {
      req.unpipe(parser);
      req.resume();
      reject(error instanceof UploadTooLargeError ? tooLarge(limit) : error);
    };
    parser.on('file', (field, stream, info) => {
      if (field !== FILE_FIELD || received) {
        stream.resume();
        return;
      }
      received = spoolUpload(stream, spoolDir, limit).then((file) => ({
        ...file,
        originalName: cleanOriginalName(info.filename),
      }));
      received.catch((error: Error) => fail(error));
    });
    parser.on('error', (error) => {
      // The spool removes its own file when its stream fails with the parser.
      if (received) {
        received.then((file) => file.discard()).catch(() => undefined);
      }
      const parseError = error instanceof Error ? error : new Error(String(error));
      fail(/Unexpected end/.test(parseError.message) ? noFile() : parseError);
    });
    parser.on('close', () => {
      if (!received) {
        reject(noFile());
        return;
      }
      received.then(resolve, () => undefined);
    });
    req.on('aborted', () => parser.destroy(new Error('Unexpected end of form: client aborted')));
    req.pipe(parser);
  });
}
