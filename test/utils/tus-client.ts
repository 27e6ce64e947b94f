import { request } from 'node:http';

export interface TusResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Just enough of a tus 1.0.0 client to drive the protocol by hand in tests. */
export class TusTestClient {
  constructor(
    private readonly origin: string,
    private readonly token: string,
  ) {}

  create(length: number, filename: string): Promise<TusResponse> {
    return this.send('POST', '/api/v1/uploads', {
      'Upload-Length': String(length),
      'Upload-Metadata': `filename ${b64(filename)}`,
    });
  }

  head(location: string): Promise<TusResponse> {
    return this.send('HEAD', location, {});
  }

  patch(location: string, offset: number, chunk: Buffer): Promise<TusResponse> {
    return this.send(
      'PATCH',
      location,
      { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
      chunk,
    );
  }

  terminate(location: string): Promise<TusResponse> {
    return this.send('DELETE', location, {});
  }

  /** Sends part of a PATCH body and then drops the connection, like a client losing its network. */
  patchAndDrop(location: string, offset: number, chunk: Buffer, declaredLength: number): Promise<void> {
    return new Promise((resolve) => {
      const req = request(`${this.origin}${location}`, {
        method: 'PATCH',
        headers: {
          ...this.baseHeaders(),
          'Upload-Offset': String(offset),
          'Content-Type': 'application/offset+octet-stream',
          'Content-Length': String(declaredLength),
        },
      });
      req.on('error', () => resolve());
      req.write(chunk, () => setTimeout(() => req.destroy(), 200));
      req.on('close', () => resolve());
    });
  }

  private baseHeaders() {
    return { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${this.token}` };
  }

  private send(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<TusResponse> {
    return new Promise((resolve, reject) => {
      const req = request(`${this.origin}${path}`, {
        method,
        headers: { ...this.baseHeaders(), ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
