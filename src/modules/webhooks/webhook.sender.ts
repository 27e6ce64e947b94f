import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { CallbackUrlGuard } from 'src/modules/webhooks/url-guard';
import { signWebhook, WEBHOOK_SECRET } from 'src/modules/webhooks/webhook.signer';

export interface WebhookRequest {
  deliveryId: string;
  url: string;
  /** The exact body to sign and send. */
  payload: string;
}

export interface WebhookSendResult {
  ok: boolean;
  statusCode?: number;
  error?: string;
  /** The guard refused the URL: another attempt cannot succeed. */
  permanent?: boolean;
}

/** The receiver's answer is its status; the body is only drained, up to this much. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** Hands the socket only the addresses the guard vetted, so a second DNS answer cannot redirect it. */
function pinnedLookup(addresses: string[]): LookupFunction {
  const vetted = addresses.map((address) => ({ address, family: isIP(address) }));
  return (hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
    const usable = vetted.filter((entry) => wanted === 0 || entry.family === wanted);
    if (usable.length === 0) {
      const error: NodeJS.ErrnoException = new Error(`no vetted IPv${wanted} address for ${hostname}`);
      error.code = 'ENOTFOUND';
      callback(error, '');
    } else if (options.all) {
      callback(null, usable);
    } else {
      callback(null, usable[0].address, usable[0].family);
    }
  };
}

function outcomeOf(statusCode: number): WebhookSendResult {
  if (statusCode >= 200 && statusCode < 300) {
    return { ok: true, statusCode };
  }
  const reason = statusCode >= 300 && statusCode < 400 ? 'redirect not followed' : 'receiver answered';
  return { ok: false, statusCode, error: `${reason}: HTTP ${statusCode}` };
}

/** The only code that sends webhook HTTP requests. */
@Injectable()
export class WebhookSender {
  constructor(
    private readonly guard: CallbackUrlGuard,
    private readonly config: AppConfig,
    @Inject(WEBHOOK_SECRET) private readonly secret: string,
  ) {}

  /** One POST; never throws. Redirects are not followed: a 3xx is a failed attempt. */
  async send(request: WebhookRequest): Promise<WebhookSendResult> {
    // Checked again at send time: the host's DNS may have changed since the task was created.
    const verdict = await this.guard.check(request.url);
    if (!verdict.allowed) {
      return { ok: false, error: `callbackUrl ${verdict.reason}`, permanent: verdict.permanent };
    }
    return this.post(verdict.url, verdict.addresses, request);
  }

  private post(url: URL, addresses: string[], request: WebhookRequest): Promise<WebhookSendResult> {
    const body = Buffer.from(request.payload, 'utf8');
    const timeoutMs = this.config.webhooks.timeoutMs;
    return new Promise((resolve) => {
      let status: WebhookSendResult | undefined;
      let req: http.ClientRequest | undefined;
      let settled = false;
      const finish = (result: WebhookSendResult) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          req?.destroy();
          resolve(result);
        }
      };
      // Once the status line is in, it is the answer; a stalled or broken body does not change it.
      const timer = setTimeout(
        () => finish(status ?? { ok: false, error: `timed out after ${timeoutMs} ms` }),
        timeoutMs,
      );
      try {
        req = (url.protocol === 'https:' ? https : http).request({
          protocol: url.protocol,
          // The hostname (not the IP) keeps Host and TLS SNI/certificate checks right; lookup pins the IP.
          hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          agent: false,
          lookup: pinnedLookup(addresses),
          headers: {
            Host: url.host,
            'Content-Type': 'application/json',
            'Content-Length': body.length,
            'User-Agent': 'Reelsmith-Webhook/1',
            'X-Reelsmith-Signature': signWebhook(request.payload, this.secret),
            'X-Reelsmith-Delivery': request.deliveryId,
          },
        });
      } catch (error) {
        finish({ ok: false, error: (error as Error).message });
        return;
      }
      req.on('error', (error) => finish(status ?? { ok: false, error: error.message }));
      req.on('response', (res) => {
        const answer = outcomeOf(res.statusCode ?? 0);
        status = answer;
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) {
            finish(answer);
          }
        });
        res.on('end', () => finish(answer));
        res.on('error', () => finish(answer));
        res.on('close', () => finish(answer));
      });
      req.end(body);
    });
  }
}
