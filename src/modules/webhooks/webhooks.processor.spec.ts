import { Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { ProcessRole } from 'src/config/process-role';
import { WebhookJobData } from 'src/modules/webhooks/webhooks.jobs';
import { WebhooksProcessor } from 'src/modules/webhooks/webhooks.processor';
import { WebhooksService } from 'src/modules/webhooks/webhooks.service';

function newTestProcessor(role: ProcessRole) {
  const queue = { process: jest.fn().mockReturnValue(new Promise(() => undefined)) };
  const service = { deliver: jest.fn().mockResolvedValue(undefined) };
  const sut = new WebhooksProcessor(
    queue as unknown as Queue<WebhookJobData>,
    service as unknown as WebhooksService,
    role,
  );
  return { sut, queue, service };
}

const job = (attemptsMade: number, attempts?: number) =>
  ({ data: { deliveryId: 'd-1' }, attemptsMade, opts: { attempts } }) as Job<WebhookJobData>;

describe(WebhooksProcessor.name, () => {
  it('does not consume the queue in an API-only process', () => {
    const { sut, queue } = newTestProcessor('api');
    sut.onModuleInit();
    expect(queue.process).not.toHaveBeenCalled();
  });

  it.each<ProcessRole>(['all', 'worker'])('consumes the queue two at a time in role %s', (role) => {
    const { sut, queue } = newTestProcessor(role);
    sut.onModuleInit();
    expect(queue.process).toHaveBeenCalledWith(2, expect.any(Function));
  });

  it('logs, rather than crashes, when the worker stops with an error', async () => {
    const { sut, queue } = newTestProcessor('worker');
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    queue.process.mockReturnValue(Promise.reject(new Error('Connection is closed.')));
    expect(() => sut.onModuleInit()).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    expect(error).toHaveBeenCalledWith('Webhook worker stopped: Connection is closed.');
    error.mockRestore();
  });

  it.each([
    [0, 6, 1, false],
    [4, 6, 5, false],
    [5, 6, 6, true],
    [0, undefined, 1, true],
  ])('after %i attempts of %s, runs attempt %i (last: %s)', async (made, attempts, attempt, isLast) => {
    const { sut, queue, service } = newTestProcessor('worker');
    sut.onModuleInit();
    const handler = queue.process.mock.calls[0][1] as (job: Job<WebhookJobData>) => Promise<void>;
    await handler(job(made, attempts));
    expect(service.deliver).toHaveBeenCalledWith('d-1', attempt, isLast);
  });
});
