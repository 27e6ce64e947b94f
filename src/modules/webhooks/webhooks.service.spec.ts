import { Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { loadAppConfig } from 'src/config/app.config';
import { TaskEntity } from 'src/modules/tasks/entities/task.entity';
import { WebhookDeliveryEntity } from 'src/modules/webhooks/entities/webhook-delivery.entity';
import { WebhookSender } from 'src/modules/webhooks/webhook.sender';
import { WebhookJobData } from 'src/modules/webhooks/webhooks.jobs';
import { NewWebhookDelivery, WebhooksRepository } from 'src/modules/webhooks/webhooks.repository';
import { WebhooksService } from 'src/modules/webhooks/webhooks.service';

const never = () => new Promise<never>(() => undefined);

function task(overrides: Partial<TaskEntity> = {}): TaskEntity {
  return Object.assign(new TaskEntity(), {
    id: 'task-1',
    type: 'script',
    status: 'completed',
    result: { script: { title: 'T' } },
    errorCode: null,
    errorMessage: null,
    callbackUrl: 'https://hooks.example.com/in',
    ...overrides,
  });
}

function delivery(overrides: Partial<WebhookDeliveryEntity> = {}): WebhookDeliveryEntity {
  return Object.assign(new WebhookDeliveryEntity(), {
    id: 'delivery-1',
    taskId: 'task-1',
    url: 'https://hooks.example.com/in',
    payload: '{"taskId":"task-1"}',
    status: 'pending',
    attempts: 0,
    createdAt: new Date(0),
    ...overrides,
  });
}

function newTestService() {
  const deliveries = {
    create: jest.fn((row: NewWebhookDelivery) => Promise.resolve(delivery(row))),
    findById: jest.fn(),
    recordAttempt: jest.fn().mockResolvedValue(true),
    listPending: jest.fn().mockResolvedValue([]),
  };
  const sender = { send: jest.fn() };
  const queue = { add: jest.fn().mockResolvedValue({}), getJob: jest.fn() };
  const sut = new WebhooksService(
    deliveries as unknown as WebhooksRepository,
    sender as unknown as WebhookSender,
    queue as unknown as Queue<WebhookJobData>,
    loadAppConfig({}),
  );
  return { sut, deliveries, sender, queue };
}

const jobIn = (state: string) =>
  ({ getState: jest.fn().mockResolvedValue(state), remove: jest.fn().mockResolvedValue(undefined) }) as unknown as Job;

describe(WebhooksService.name, () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  describe('scheduleFor', () => {
    it('does nothing for a task without a callback URL', async () => {
      const { sut, deliveries, queue } = newTestService();
      await sut.scheduleFor(task({ callbackUrl: null }));
      expect(deliveries.create).not.toHaveBeenCalled();
      expect(queue.add).not.toHaveBeenCalled();
    });

    it('stores the contract payload once and queues the delivery with retries and back-off', async () => {
      const { sut, deliveries, queue } = newTestService();
      await sut.scheduleFor(task());

      const row = deliveries.create.mock.calls[0][0];
      expect(row).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        taskId: 'task-1',
        url: 'https://hooks.example.com/in',
        payload:
          '{"taskId":"task-1","type":"script","status":"completed","result":{"script":{"title":"T"}},"error":null}',
      });
      expect(queue.add).toHaveBeenCalledWith(
        { deliveryId: row.id },
        { jobId: row.id, attempts: 6, backoff: { type: 'exponential', delay: 5000 } },
      );
    });

    it('puts a failed task error into the payload as { code, message }', async () => {
      const { sut, deliveries } = newTestService();
      await sut.scheduleFor(
        task({ status: 'failed', result: null, errorCode: 'AI_FAILED', errorMessage: 'model down' }),
      );
      expect(JSON.parse(deliveries.create.mock.calls[0][0].payload)).toEqual({
        taskId: 'task-1',
        type: 'script',
        status: 'failed',
        result: null,
        error: { code: 'AI_FAILED', message: 'model down' },
      });
    });

    it('leaves the row pending, without failing, when Redis refuses the job', async () => {
      const { sut, deliveries, queue } = newTestService();
      queue.add.mockRejectedValue(new Error('Connection is closed.'));
      await expect(sut.scheduleFor(task())).resolves.toBeUndefined();
      expect(deliveries.create).toHaveBeenCalled();
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('left pending, queue unavailable: Connection is closed.'),
      );
    });

    it('waits at most 2 s for a Redis that does not answer', async () => {
      jest.useFakeTimers();
      const { sut, queue } = newTestService();
      queue.add.mockReturnValue(never());
      const scheduling = sut.scheduleFor(task());
      await jest.advanceTimersByTimeAsync(2000);
      await expect(scheduling).resolves.toBeUndefined();
    });
  });

  describe('deliver', () => {
    it('sends the stored payload and records success', async () => {
      const { sut, deliveries, sender } = newTestService();
      deliveries.findById.mockResolvedValue(delivery());
      sender.send.mockResolvedValue({ ok: true, statusCode: 200 });

      await sut.deliver('delivery-1', 1, false);

      expect(sender.send).toHaveBeenCalledWith({
        deliveryId: 'delivery-1',
        url: 'https://hooks.example.com/in',
        payload: '{"taskId":"task-1"}',
      });
      expect(deliveries.recordAttempt).toHaveBeenCalledWith('delivery-1', {
        status: 'delivered',
        statusCode: 200,
        error: null,
      });
    });

    it('records a failed attempt and throws so that Bull retries', async () => {
      const { sut, deliveries, sender } = newTestService();
      deliveries.findById.mockResolvedValue(delivery());
      sender.send.mockResolvedValue({ ok: false, statusCode: 503, error: 'receiver answered: HTTP 503' });

      await expect(sut.deliver('delivery-1', 2, false)).rejects.toThrow(
        'Webhook attempt 2 failed: receiver answered: HTTP 503',
      );
      expect(deliveries.recordAttempt).toHaveBeenCalledWith('delivery-1', {
        status: 'pending',
        statusCode: 503,
        error: 'receiver answered: HTTP 503',
      });
    });

    it('marks the delivery failed on the last attempt, without throwing', async () => {
      const { sut, deliveries, sender } = newTestService();
      deliveries.findById.mockResolvedValue(delivery());
      sender.send.mockResolvedValue({ ok: false, error: 'timed out after 10000 ms' });

      await sut.deliver('delivery-1', 6, true);

      expect(deliveries.recordAttempt).toHaveBeenCalledWith('delivery-1', {
        status: 'failed',
        statusCode: null,
        error: 'timed out after 10000 ms',
      });
    });

    it('marks a URL the guard refuses as failed at once: no retry can help', async () => {
      const { sut, deliveries, sender } = newTestService();
      deliveries.findById.mockResolvedValue(delivery());
      sender.send.mockResolvedValue({ ok: false, permanent: true, error: 'callbackUrl must not point to …' });

      await expect(sut.deliver('delivery-1', 1, false)).resolves.toBeUndefined();
      expect(deliveries.recordAttempt).toHaveBeenCalledWith(
        'delivery-1',
        expect.objectContaining({ status: 'failed' }),
      );
    });

    it.each([
      ['gone', null],
      ['delivered', delivery({ status: 'delivered' })],
      ['failed', delivery({ status: 'failed' })],
    ])('sends nothing for a delivery that is %s', async (_state, row) => {
      const { sut, deliveries, sender } = newTestService();
      deliveries.findById.mockResolvedValue(row);
      await sut.deliver('delivery-1', 1, false);
      expect(sender.send).not.toHaveBeenCalled();
      expect(deliveries.recordAttempt).not.toHaveBeenCalled();
    });
  });

  describe('enqueuePending', () => {
    it('queues pending deliveries that have no live job, and replaces finished jobs', async () => {
      const { sut, deliveries, queue } = newTestService();
      deliveries.listPending.mockResolvedValue([
        delivery({ id: 'no-job' }),
        delivery({ id: 'delayed' }),
        delivery({ id: 'failed-job' }),
      ]);
      const failed = jobIn('failed');
      queue.getJob.mockImplementation((id: string) =>
        Promise.resolve(id === 'no-job' ? null : id === 'delayed' ? jobIn('delayed') : failed),
      );

      await expect(sut.enqueuePending()).resolves.toBe(2);

      expect(failed.remove).toHaveBeenCalled();
      expect(queue.add.mock.calls.map(([data]) => data)).toEqual([
        { deliveryId: 'no-job' },
        { deliveryId: 'failed-job' },
      ]);
      expect(deliveries.listPending).toHaveBeenCalledWith(expect.any(Date), 100, undefined);
    });

    it('pages through every pending delivery', async () => {
      const { sut, deliveries, queue } = newTestService();
      const first = Array.from({ length: 100 }, (_, i) => delivery({ id: `d-${i}` }));
      deliveries.listPending.mockResolvedValueOnce(first).mockResolvedValueOnce([delivery({ id: 'last' })]);
      queue.getJob.mockResolvedValue(null);

      await expect(sut.enqueuePending()).resolves.toBe(101);
      expect(deliveries.listPending).toHaveBeenLastCalledWith(expect.any(Date), 100, first[99]);
    });

    it('stops the sweep when Redis does not answer', async () => {
      jest.useFakeTimers();
      const { sut, deliveries, queue } = newTestService();
      deliveries.listPending.mockResolvedValue([delivery({ id: 'a' }), delivery({ id: 'b' })]);
      queue.getJob.mockReturnValue(never());

      const sweeping = sut.enqueuePending();
      await jest.advanceTimersByTimeAsync(2000);

      await expect(sweeping).resolves.toBe(0);
      expect(queue.getJob).toHaveBeenCalledTimes(1);
    });

    it('stops the sweep when a job cannot be added', async () => {
      const { sut, deliveries, queue } = newTestService();
      deliveries.listPending.mockResolvedValue([delivery({ id: 'a' }), delivery({ id: 'b' })]);
      queue.getJob.mockResolvedValue(null);
      queue.add.mockRejectedValue(new Error('READONLY'));

      await expect(sut.enqueuePending()).resolves.toBe(0);
      expect(queue.add).toHaveBeenCalledTimes(1);
    });
  });
});
