import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { QueueName } from 'src/common/queue/queue.names';
import { PROCESS_ROLE, ProcessRole, runsJobs } from 'src/config/process-role';
import { WebhookJobData } from 'src/modules/webhooks/webhooks.jobs';
import { WebhooksService } from 'src/modules/webhooks/webhooks.service';

/** Sends are short network waits, so a couple at once per worker is plenty. */
const WEBHOOK_CONCURRENCY = 2;

/** Consumes the webhooks queue in processes that run jobs; API-only processes only produce. */
@Injectable()
export class WebhooksProcessor implements OnModuleInit {
  private readonly logger = new Logger(WebhooksProcessor.name);

  constructor(
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue<WebhookJobData>,
    private readonly service: WebhooksService,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
  ) {}

  onModuleInit(): void {
    if (!runsJobs(this.role)) {
      return;
    }
    // Bull's process() settles only when the queue closes, so it is not awaited.
    this.queue
      .process(WEBHOOK_CONCURRENCY, (job) => this.handleDelivery(job))
      .catch((error: Error) => this.logger.error(`Webhook worker stopped: ${error.message}`));
  }

  handleDelivery(job: Job<WebhookJobData>): Promise<void> {
    const attempt = job.attemptsMade + 1;
    return this.service.deliver(job.data.deliveryId, attempt, attempt >= (job.opts.attempts ?? 1));
  }
}
