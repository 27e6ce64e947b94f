import { createServer, IncomingHttpHeaders, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers the n-th request (0-based); it may also leave the response hanging. */
export type Responder = (res: ServerResponse, request: ReceivedWebhook, index: number) => void;

export interface WebhookReceiver {
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

/** Answers with these statuses in turn, repeating the last one. */
export const replyWith =
  (...statuses: number[]): Responder =>
  (res, _request, index) => {
    res.writeHead(statuses[Math.min(index, statuses.length - 1)], { 'Content-Type': 'text/plain' }).end('ok');
  };

/** A local HTTP server that records every request in full, for webhook tests. */
export async function startWebhookReceiver(respond: Responder = replyWith(200)): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      respond(res, request, received.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
