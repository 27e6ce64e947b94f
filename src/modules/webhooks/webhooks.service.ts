import { randomUUID } from 'node:crypto';
import { withTimeout } from 'src/common/utils/with-timeout';
import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName } from 'src/common/queue/queue.names';
import { AppConfig } from 'src/config/app.config';
import { TaskEntity } from 'src/modules/tasks/entities/task.entity';
import { WebhookDeliveryEntity } from 'src/modules/webhooks/entities/webhook-delivery.entity';
import { WebhookSender } from 'src/modules/webhooks/webhook.sender';
import { buildWebhookPayload, WebhookJobData } from 'src/modules/webhooks/webhooks.jobs';
import { WebhooksRepository } from 'src/modules/webhooks/webhooks.repository';

/** How long a caller waits for Redis; past it the row stays pending for the sweeper. */
const REDIS_WAIT_MS = 2000;
/** Younger pending rows are still being enqueued by scheduleFor. */
const SWEEP_MIN_AGE_MS = 10_000;
const SWEEP_PAGE = 100;
/** A job in any other state will not run again by itself. */
const LIVE_JOB_STATES = new Set(['waiting', 'active', 'delayed', 'paused']);

@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    private readonly deliveries: WebhooksRepository,
    private readonly sender: WebhookSender,
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue<WebhookJobData>,
    private readonly config: AppConfig,
  ) {}

  /**
   * Records the callback of a finished task and queues it. The body is serialized once here, so
   * every retry signs and sends the same bytes. Never fails because Redis is away: the row then
   * stays pending until `enqueuePending` runs.
   */
  async scheduleFor(task: TaskEntity): Promise<void> {
    if (!task.callbackUrl) {
      return;
    }
    const delivery = await this.deliveries.create({
      id: randomUUID(),
      taskId: task.id,
      url: task.callbackUrl,
      payload: JSON.stringify(buildWebhookPayload(task)),
    });
    await this.enqueue(delivery.id);
  }

  /** Queues every pending delivery that has no live job (Redis was down, or its job was lost). */
  async enqueuePending(): Promise<number> {
    const createdBefore = new Date(Date.now() - SWEEP_MIN_AGE_MS);
    let requeued = 0;
    let after: WebhookDeliveryEntity | undefined;
    for (;;) {
      const page = await this.deliveries.listPending(createdBefore, SWEEP_PAGE, after);
      for (const delivery of page) {
        try {
          if (await this.hasLiveJob(delivery.id)) {
            continue;
          }
        } catch (error) {
          this.logger.warn(`Webhook sweep stopped, queue unavailable: ${(error as Error).message}`);
          return requeued;
        }
        if (!(await this.enqueue(delivery.id))) {
          return requeued;
        }
        requeued += 1;
      }
      if (page.length < SWEEP_PAGE) {
        return requeued;
      }
      after = page[page.length - 1];
    }
  }

  /**
   * One attempt of one delivery. Throws when Bull should retry; a refused URL or the last attempt
   * ends the delivery as failed instead.
   */
  async deliver(deliveryId: string, attemptNumber: number, isLastAttempt: boolean): Promise<void> {
    const delivery = await this.deliveries.findById(deliveryId);
    if (!delivery || delivery.status !== 'pending') {
      this.logger.debug(`Webhook delivery ${deliveryId} is ${delivery?.status ?? 'gone'}; nothing to send`);
      return;
    }
    const result = await this.sender.send({ deliveryId, url: delivery.url, payload: delivery.payload });
    if (result.ok) {
      await this.deliveries.recordAttempt(deliveryId, {
        status: 'delivered',
        statusCode: result.statusCode ?? null,
        error: null,
      });
      return;
    }
    const final = result.permanent === true || isLastAttempt;
    const error = result.error ?? 'delivery failed';
    await this.deliveries.recordAttempt(deliveryId, {
      status: final ? 'failed' : 'pending',
      statusCode: result.statusCode ?? null,
      error,
    });
    if (final) {
      this.logger.warn(`Webhook delivery ${deliveryId} failed for good on attempt ${attemptNumber}: ${error}`);
      return;
    }
    throw new Error(`Webhook attempt ${attemptNumber} failed: ${error}`);
  }

  private async hasLiveJob(deliveryId: string): Promise<boolean> {
    const job = await withTimeout(this.queue.getJob(deliveryId), REDIS_WAIT_MS, 'Redis');
    if (!job) {
      return false;
    }
    if (LIVE_JOB_STATES.has(await withTimeout(job.getState(), REDIS_WAIT_MS, 'Redis'))) {
      return true;
    }
    // A finished job keeps its id; it must go before the same id can be queued again.
    await withTimeout(job.remove(), REDIS_WAIT_MS, 'Redis');
    return false;
  }

  /** True when the job is in Redis. The job id is the delivery id, so adding twice is harmless. */
  private async enqueue(deliveryId: string): Promise<boolean> {
    const { maxAttempts, backoffMs } = this.config.webhooks;
    try {
      // Bull's exponential back-off waits (2^n - 1) × delay after the n-th failure: with the
      // defaults (6 attempts, 5 s) that is 5 + 15 + 35 + 75 + 155 s, about 4¾ minutes in all.
      await withTimeout(
        this.queue.add(
          { deliveryId },
          { jobId: deliveryId, attempts: maxAttempts, backoff: { type: 'exponential', delay: backoffMs } },
        ),
        REDIS_WAIT_MS,
        'Redis',
      );
      return true;
    } catch (error) {
      this.logger.warn(`Webhook delivery ${deliveryId} left pending, queue unavailable: ${(error as Error).message}`);
      return false;
    }
  }
}
