import { createHmac } from 'node:crypto';
import { signWebhook } from 'src/modules/webhooks/webhook.signer';

describe('signWebhook', () => {
  it('matches the RFC 4231 HMAC-SHA256 test vector', () => {
    expect(signWebhook('what do ya want for nothing?', 'Jefe')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('signs the UTF-8 bytes of the raw body with the secret', () => {
    const body = '{"taskId":"t-1","status":"completed","result":{"title":"Café ☕"},"error":null}';
    const secret = 'a-webhook-secret-of-some-length';
    const expected = createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('hex');
    expect(signWebhook(body, secret)).toBe(`sha256=${expected}`);
  });

  it('changes with any change to the body or the secret', () => {
    const signature = signWebhook('{"a":1}', 'secret-one-secret-one');
    expect(signWebhook('{"a":1} ', 'secret-one-secret-one')).not.toBe(signature);
    expect(signWebhook('{"a":1}', 'secret-two-secret-two')).not.toBe(signature);
  });
});
