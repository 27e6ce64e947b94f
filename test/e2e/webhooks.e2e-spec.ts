import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppError } from 'src/common/errors/app-error';
import { TaskEntity } from 'src/modules/tasks/entities/task.entity';
import { WebhookDeliveryEntity } from 'src/modules/webhooks/entities/webhook-delivery.entity';
import { CallbackUrlGuard } from 'src/modules/webhooks/url-guard';
import { WebhooksService } from 'src/modules/webhooks/webhooks.service';
import { registerUser, startTestApp, TestApp } from 'test/utils/test-app';
import { waitFor } from 'test/utils/wait';
import { replyWith, startWebhookReceiver, WebhookReceiver } from 'test/utils/webhook-receiver';

const SECRET = 'e2e-webhook-secret-0123456789';

/** A task that has just finished, written straight to the database (no task type runs here). */
async function insertFinishedTask(sut: TestApp, overrides: Partial<TaskEntity>): Promise<TaskEntity> {
  const owner = await registerUser(sut.http);
  const now = new Date();
  const defaults: TaskEntity = {
    id: randomUUID(),
    ownerId: owner.id,
    type: 'script',
    status: 'completed',
    progress: 100,
    stage: null,
    attempts: 1,
    maxAttempts: 3,
    projectId: null,
    videoId: null,
    input: { topic: 'otters' },
    result: { script: { title: 'Otters', language: 'en', scenes: [] } },
    errorCode: null,
    errorMessage: null,
    idempotencyKey: null,
    callbackUrl: null,
    jobId: null,
    enqueuedAt: now,
    leaseOwner: null,
    leaseExpiresAt: null,
    createdAt: now,
    startedAt: now,
    finishedAt: now,
    updatedAt: now,
  };
  const task = Object.assign(new TaskEntity(), defaults, overrides);
  await sut.running.app.get(DataSource).getRepository(TaskEntity).save(task);
  return task;
}

const deliveriesOf = (sut: TestApp, taskId: string) =>
  sut.running.app
    .get(DataSource)
    .getRepository(WebhookDeliveryEntity)
    .find({ where: { taskId }, order: { createdAt: 'ASC' } });

async function settledDelivery(sut: TestApp, taskId: string, timeoutMs = 10_000): Promise<WebhookDeliveryEntity> {
  let row: WebhookDeliveryEntity | undefined;
  await waitFor(
    async () => {
      [row] = await deliveriesOf(sut, taskId);
      return row !== undefined && row.status !== 'pending';
    },
    timeoutMs,
    `webhook of task ${taskId} settled`,
  );
  return row!;
}

const signatureOf = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

describe('Webhooks (e2e)', () => {
  const receivers: WebhookReceiver[] = [];
  const receiver = async (...args: Parameters<typeof startWebhookReceiver>) => {
    const started = await startWebhookReceiver(...args);
    receivers.push(started);
    return started;
  };

  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  describe('with private targets allowed (a local receiver)', () => {
    let sut: TestApp;

    beforeAll(async () => {
      sut = await startTestApp({
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_BACKOFF_MS: '200',
        WEBHOOK_MAX_ATTEMPTS: '3',
        WEBHOOK_SECRET: SECRET,
        // Keeps the task reconciler's own sweep out of the way of the one this spec runs by hand.
        TASK_RECONCILE_INTERVAL_MS: '600000',
      });
    });

    afterAll(() => sut.close());

    it('retries after failures and then delivers the signed contract payload', async () => {
      const target = await receiver(replyWith(500, 500, 200));
      const task = await insertFinishedTask(sut, { callbackUrl: `${target.origin}/hooks/reelsmith?tenant=7` });

      await sut.running.app.get(WebhooksService).scheduleFor(task);
      const row = await settledDelivery(sut, task.id);

      expect(row).toMatchObject({
        status: 'delivered',
        attempts: 3,
        lastStatusCode: 200,
        lastError: null,
        deliveredAt: expect.any(Date),
      });
      expect(target.received).toHaveLength(3);
      const expectedBody = JSON.stringify({
        taskId: task.id,
        type: 'script',
        status: 'completed',
        result: { script: { title: 'Otters', language: 'en', scenes: [] } },
        error: null,
      });
      for (const request of target.received) {
        expect(request.method).toBe('POST');
        expect(request.path).toBe('/hooks/reelsmith?tenant=7');
        expect(request.body).toBe(expectedBody);
        expect(request.headers['content-type']).toBe('application/json');
        expect(request.headers['x-reelsmith-delivery']).toBe(row.id);
        expect(request.headers['x-reelsmith-signature']).toBe(signatureOf(request.body));
      }
    });

    it('marks the delivery failed after the configured number of attempts', async () => {
      const target = await receiver(replyWith(503));
      const task = await insertFinishedTask(sut, {
        status: 'failed',
        result: null,
        errorCode: 'AI_PROVIDER_FAILED',
        errorMessage: 'The model did not answer',
        callbackUrl: `${target.origin}/hook`,
      });

      await sut.running.app.get(WebhooksService).scheduleFor(task);
      const row = await settledDelivery(sut, task.id);

      expect(row).toMatchObject({
        status: 'failed',
        attempts: 3,
        lastStatusCode: 503,
        lastError: 'receiver answered: HTTP 503',
        deliveredAt: null,
      });
      // Nothing more arrives once the delivery has failed.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(target.received).toHaveLength(3);
      expect(JSON.parse(target.received[0].body)).toEqual({
        taskId: task.id,
        type: 'script',
        status: 'failed',
        result: null,
        error: { code: 'AI_PROVIDER_FAILED', message: 'The model did not answer' },
      });
    });

    it('sends nothing for a task without a callback URL', async () => {
      const task = await insertFinishedTask(sut, { callbackUrl: null });
      await sut.running.app.get(WebhooksService).scheduleFor(task);
      expect(await deliveriesOf(sut, task.id)).toEqual([]);
    });

    it('queues, once, a pending delivery that never reached Redis', async () => {
      const target = await receiver();
      const task = await insertFinishedTask(sut, { callbackUrl: `${target.origin}/late` });
      // As scheduleFor leaves it when Redis is unreachable: a pending row and no job.
      const earlier = new Date(Date.now() - 60_000);
      const payload = JSON.stringify({ taskId: task.id, type: 'script', status: 'completed', result: {}, error: null });
      await sut.running.app
        .get(DataSource)
        .getRepository(WebhookDeliveryEntity)
        .insert({
          id: randomUUID(),
          taskId: task.id,
          url: `${target.origin}/late`,
          payload,
          status: 'pending',
          attempts: 0,
          lastStatusCode: null,
          lastError: null,
          deliveredAt: null,
          createdAt: earlier,
          updatedAt: earlier,
        });

      const service = sut.running.app.get(WebhooksService);
      const [first, second] = await Promise.all([service.enqueuePending(), service.enqueuePending()]);
      expect(first + second).toBeGreaterThanOrEqual(1);
      const row = await settledDelivery(sut, task.id);

      expect(row).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(target.received.map((r) => r.body)).toEqual([payload]);
      expect(await service.enqueuePending()).toBe(0);
    });
  });

  describe('with private targets refused (the default)', () => {
    let sut: TestApp;

    beforeAll(async () => {
      sut = await startTestApp({ WEBHOOK_BACKOFF_MS: '200', WEBHOOK_SECRET: SECRET });
    });

    afterAll(() => sut.close());

    it('refuses a loopback callback URL up front with 400 on callbackUrl', async () => {
      const guard = sut.running.app.get(CallbackUrlGuard);
      for (const url of ['http://127.0.0.1:9/hook', 'http://localhost:9/hook', 'http://[::1]:9/hook']) {
        const error = await guard.assertAllowed(url).then(
          () => undefined,
          (reason: unknown) => reason,
        );
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({
          status: 400,
          code: 'VALIDATION_FAILED',
          details: [{ field: 'callbackUrl', message: 'must not point to a private, loopback or link-local address' }],
        });
      }
    });

    it('fails a delivery to a loopback receiver at once, without sending anything', async () => {
      const target = await receiver();
      const task = await insertFinishedTask(sut, { callbackUrl: `${target.origin}/hook` });

      await sut.running.app.get(WebhooksService).scheduleFor(task);
      const row = await settledDelivery(sut, task.id);

      expect(row).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastStatusCode: null,
        lastError: 'callbackUrl must not point to a private, loopback or link-local address',
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(target.received).toHaveLength(0);
    });
  });
});
