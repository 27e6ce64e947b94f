import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { resolveWebhookSecret } from 'src/common/secrets/persisted-secret';
import { AppConfig } from 'src/config/app.config';
import { WebhookDeliveryEntity } from 'src/modules/webhooks/entities/webhook-delivery.entity';
import { CallbackUrlGuard } from 'src/modules/webhooks/url-guard';
import { WebhookSender } from 'src/modules/webhooks/webhook.sender';
import { WEBHOOK_SECRET } from 'src/modules/webhooks/webhook.signer';
import { WebhooksProcessor } from 'src/modules/webhooks/webhooks.processor';
import { WebhooksRepository } from 'src/modules/webhooks/webhooks.repository';
import { WebhooksService } from 'src/modules/webhooks/webhooks.service';

/** Signed task callbacks: the SSRF guard, the delivery rows and the webhooks queue's worker. */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookDeliveryEntity])],
  providers: [
    { provide: WEBHOOK_SECRET, inject: [AppConfig], useFactory: resolveWebhookSecret },
    CallbackUrlGuard,
    WebhookSender,
    WebhooksRepository,
    WebhooksService,
    WebhooksProcessor,
  ],
  exports: [WebhooksService, CallbackUrlGuard],
})
export class WebhooksModule {}
