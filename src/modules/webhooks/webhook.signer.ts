import { createHmac } from 'node:crypto';

/** Injection token for the resolved WEBHOOK_SECRET (generated and kept under $DATA_DIR when unset). */
export const WEBHOOK_SECRET = Symbol('WEBHOOK_SECRET');

/** The `X-Reelsmith-Signature` value: HMAC-SHA256 of the exact bytes sent. */
export function signWebhook(rawBody: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}
