import { createHmac } from 'node:crypto';
import { loadAppConfig } from 'src/config/app.config';
import { CallbackUrlGuard } from 'src/modules/webhooks/url-guard';
import { WebhookSender } from 'src/modules/webhooks/webhook.sender';
import { replyWith, startWebhookReceiver, WebhookReceiver } from 'test/utils/webhook-receiver';

const SECRET = 'sender-spec-secret-0123456789';

function newSender({ allowPrivate = true, timeoutMs = 1000 } = {}) {
  const config = loadAppConfig({
    WEBHOOK_ALLOW_PRIVATE: String(allowPrivate),
    WEBHOOK_TIMEOUT_MS: String(timeoutMs),
  });
  const guard = new CallbackUrlGuard(config);
  return { sut: new WebhookSender(guard, config, SECRET), guard };
}

describe(WebhookSender.name, () => {
  const receivers: WebhookReceiver[] = [];
  const receiver = async (...args: Parameters<typeof startWebhookReceiver>) => {
    const started = await startWebhookReceiver(...args);
    receivers.push(started);
    return started;
  };

  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  it('POSTs the exact body with JSON, delivery and signature headers, and reports a 2xx as ok', async () => {
    const target = await receiver(replyWith(204));
    const { sut } = newSender();
    const payload = JSON.stringify({ taskId: 't-1', type: 'video', status: 'completed', result: { title: 'Café ☕' } });

    const result = await sut.send({
      deliveryId: 'd-1',
      url: `${target.origin}/hooks/in?source=reelsmith#frag`,
      payload,
    });

    expect(result).toEqual({ ok: true, statusCode: 204 });
    expect(target.received).toHaveLength(1);
    const [request] = target.received;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/hooks/in?source=reelsmith');
    expect(request.body).toBe(payload);
    expect(request.headers).toMatchObject({
      host: `127.0.0.1:${target.port}`,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(payload)),
      'user-agent': 'Reelsmith-Webhook/1',
      'x-reelsmith-delivery': 'd-1',
    });
    // What a receiver does: recompute the HMAC over the raw body it got.
    const expected = `sha256=${createHmac('sha256', SECRET).update(request.body).digest('hex')}`;
    expect(request.headers['x-reelsmith-signature']).toBe(expected);
  });

  it('reports a 500 as a failed attempt with its status', async () => {
    const target = await receiver(replyWith(500));
    const { sut } = newSender();
    await expect(sut.send({ deliveryId: 'd-2', url: target.origin, payload: '{}' })).resolves.toEqual({
      ok: false,
      statusCode: 500,
      error: 'receiver answered: HTTP 500',
    });
  });

  it('does not follow a redirect: a 302 is a failed attempt', async () => {
    const elsewhere = await receiver();
    const target = await receiver((res) => res.writeHead(302, { Location: `${elsewhere.origin}/stolen` }).end());
    const { sut } = newSender();

    const result = await sut.send({ deliveryId: 'd-3', url: `${target.origin}/hook`, payload: '{}' });

    expect(result).toEqual({ ok: false, statusCode: 302, error: 'redirect not followed: HTTP 302' });
    expect(target.received).toHaveLength(1);
    expect(elsewhere.received).toHaveLength(0);
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    await receiver(() => undefined);
    const target = receivers[0];
    const { sut } = newSender({ timeoutMs: 300 });
    const started = Date.now();

    const result = await sut.send({ deliveryId: 'd-4', url: target.origin, payload: '{}' });

    expect(result).toEqual({ ok: false, error: 'timed out after 300 ms' });
    expect(Date.now() - started).toBeLessThan(6000); // bounded, not hung
    expect(target.received).toHaveLength(1);
  });

  it('reads at most 64 KiB of the response and then hangs up', async () => {
    let written = 0;
    let closed = false;
    const target = await receiver((res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.on('close', () => (closed = true));
      const chunk = Buffer.alloc(16 * 1024, 'x');
      // An endless body: only the sender's cap can end this exchange before its timeout.
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {
          written += chunk.length;
        }
        if (!res.destroyed) {
          res.once('drain', pump);
        }
      };
      pump();
    });
    const { sut } = newSender({ timeoutMs: 10_000 });
    const started = Date.now();

    const result = await sut.send({ deliveryId: 'd-5', url: target.origin, payload: '{}' });

    expect(result).toEqual({ ok: true, statusCode: 200 });
    expect(Date.now() - started).toBeLessThan(6000); // bounded, not hung
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(true);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('connects to the vetted address while keeping the Host header of the URL', async () => {
    const target = await receiver();
    const { sut, guard } = newSender();
    // "hooks.example.test" exists nowhere: the request can only land here through the pinned IP.
    jest.spyOn(guard, 'lookupHost').mockResolvedValue(['127.0.0.1']);

    const result = await sut.send({
      deliveryId: 'd-6',
      url: `http://hooks.example.test:${target.port}/in`,
      payload: '{}',
    });

    expect(result).toEqual({ ok: true, statusCode: 200 });
    expect(target.received[0].headers.host).toBe(`hooks.example.test:${target.port}`);
  });

  it('refuses, for good, a host that now resolves to a private address, without sending', async () => {
    const target = await receiver();
    const { sut, guard } = newSender({ allowPrivate: false });
    jest.spyOn(guard, 'lookupHost').mockResolvedValue(['127.0.0.1']);

    const result = await sut.send({
      deliveryId: 'd-7',
      url: `http://rebound.example.test:${target.port}/`,
      payload: '{}',
    });

    expect(result).toEqual({
      ok: false,
      permanent: true,
      error: 'callbackUrl must not point to a private, loopback or link-local address',
    });
    expect(target.received).toHaveLength(0);
  });

  it('reports an unresolvable host as a failure worth retrying', async () => {
    const { sut, guard } = newSender();
    jest.spyOn(guard, 'lookupHost').mockRejectedValue(new Error('ENOTFOUND'));
    await expect(sut.send({ deliveryId: 'd-8', url: 'https://gone.example/', payload: '{}' })).resolves.toEqual({
      ok: false,
      permanent: false,
      error: 'callbackUrl host could not be resolved',
    });
  });

  it('reports a refused connection as a failed attempt', async () => {
    const target = await receiver();
    const { origin } = target;
    await target.close();
    const { sut } = newSender();

    const result = await sut.send({ deliveryId: 'd-9', url: origin, payload: '{}' });

    expect(result.ok).toBe(false);
    expect(result.permanent).toBeUndefined();
    expect(result.error).toContain('ECONNREFUSED');
  });
});
