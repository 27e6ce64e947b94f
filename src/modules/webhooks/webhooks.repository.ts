import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { WebhookDeliveryEntity, WebhookDeliveryStatus } from 'src/modules/webhooks/entities/webhook-delivery.entity';

export type NewWebhookDelivery = Pick<WebhookDeliveryEntity, 'id' | 'taskId' | 'url' | 'payload'>;

export interface WebhookAttempt {
  status: WebhookDeliveryStatus;
  statusCode: number | null;
  error: string | null;
}

const MAX_ERROR_LENGTH = 500;

@Injectable()
export class WebhooksRepository {
  constructor(
    @InjectRepository(WebhookDeliveryEntity) private readonly deliveries: Repository<WebhookDeliveryEntity>,
  ) {}

  async create(delivery: NewWebhookDelivery): Promise<WebhookDeliveryEntity> {
    const now = new Date();
    const entity = this.deliveries.create({
      ...delivery,
      status: 'pending',
      attempts: 0,
      lastStatusCode: null,
      lastError: null,
      deliveredAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await this.deliveries.insert(entity);
    return entity;
  }

  findById(id: string): Promise<WebhookDeliveryEntity | null> {
    return this.deliveries.findOneBy({ id });
  }

  listByTask(taskId: string): Promise<WebhookDeliveryEntity[]> {
    return this.deliveries.find({ where: { taskId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Pending deliveries created before `createdBefore`, oldest first, after the keyset cursor. */
  listPending(createdBefore: Date, limit: number, after?: Pick<WebhookDeliveryEntity, 'createdAt' | 'id'>) {
    const query = this.deliveries
      .createQueryBuilder('d')
      .where('d.status = :pending', { pending: 'pending' })
      .andWhere('d.created_at < :createdBefore', { createdBefore })
      .orderBy('d.created_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .limit(limit);
    if (after) {
      query.andWhere('(d.created_at > :at OR (d.created_at = :at AND d.id > :id))', {
        at: after.createdAt,
        id: after.id,
      });
    }
    return query.getMany();
  }

  /**
   * Counts one attempt and stores its outcome. Only a pending row changes, so a duplicate run of
   * the job cannot turn a delivered webhook into a failed one. False when nothing changed.
   */
  async recordAttempt(id: string, attempt: WebhookAttempt): Promise<boolean> {
    const now = new Date();
    const result = await this.deliveries
      .createQueryBuilder()
      .update(WebhookDeliveryEntity)
      .set({
        attempts: () => 'attempts + 1',
        status: attempt.status,
        lastStatusCode: attempt.statusCode,
        lastError: attempt.error === null ? null : attempt.error.slice(0, MAX_ERROR_LENGTH),
        deliveredAt: attempt.status === 'delivered' ? now : null,
        updatedAt: now,
      })
      .where('id = :id AND status = :pending', { id, pending: 'pending' })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
