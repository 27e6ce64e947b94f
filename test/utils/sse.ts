import { request } from 'node:http';

export interface SseEvent {
  event: string;
  data: unknown;
}

export interface SseRecording {
  status: number;
  contentType: string;
  events: SseEvent[];
  comments: number;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens an SSE stream and records its events as they arrive. */
export function openSse(url: string, token: string): Promise<SseRecording> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } }, (res) => {
      let buffer = '';
      let endStream: () => void = () => undefined;
      const recording: SseRecording = {
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type'] ?? ''),
        events: [],
        comments: 0,
        ended: new Promise<void>((done) => (endStream = done)),
        close: () => req.destroy(),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          if (block.startsWith(':')) {
            recording.comments++;
            continue;
          }
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(block)?.[1];
          recording.events.push({ event, data: data === undefined ? undefined : JSON.parse(data) });
        }
      });
      res.on('end', () => endStream());
      res.on('close', () => endStream());
      resolve(recording);
    });
    req.on('error', reject);
    req.end();
  });
}
