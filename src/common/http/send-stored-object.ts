import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { parseByteRange } from 'src/common/http/byte-range';
import { StorageDriver } from 'src/storage/storage.driver';

export interface ObjectToSend {
  key: string;
  sizeBytes: number;
  etag: string;
  contentType: string;
  /** Suggested download name (already cleaned). */
  fileName?: string;
}

/**
 * Streams a stored object with HTTP caching and ranges: ETag / If-None-Match (304), a single
 * `Range` (206 with Content-Range, or 416), else the whole object (200).
 */
export async function sendStoredObject(req: Request, res: Response, storage: StorageDriver, object: ObjectToSend) {
  res.setHeader('ETag', object.etag);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Cache-Control', 'private, max-age=0, must-revalidate');
  if (object.fileName) {
    res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(object.fileName)}`);
  }
  if (req.header('if-none-match') === object.etag) {
    res.status(304).end();
    return;
  }
  const range = parseByteRange(req.header('range'), object.sizeBytes);
  if (range === 'unsatisfiable') {
    res.status(416).setHeader('Content-Range', `bytes */${object.sizeBytes}`).end();
    return;
  }
  res.setHeader('Content-Type', object.contentType);
  if (range) {
    res.status(206);
    res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${object.sizeBytes}`);
    res.setHeader('Content-Length', String(range.end - range.start + 1));
  } else {
    res.status(200);
    res.setHeader('Content-Length', String(object.sizeBytes));
  }
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const body = await storage.get(object.key, range);
  // A client that goes away mid-download is not an error worth more than closing the stream.
  await pipeline(body, res).catch(() => body.destroy());
}
