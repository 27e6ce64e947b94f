import { AssetEntity } from 'src/modules/assets/entities/asset.entity';
import { SpeechCacheEntity } from 'src/modules/voice/entities/speech-cache.entity';
import { RefreshTokenEntity } from 'src/modules/auth/entities/refresh-token.entity';
import { TaskEntity } from 'src/modules/tasks/entities/task.entity';
import { UserEntity } from 'src/modules/users/entities/user.entity';
import { WebhookDeliveryEntity } from 'src/modules/webhooks/entities/webhook-delivery.entity';

/** Every TypeORM entity; the data source and the migration CLI load this list. */
export const entities = [
  UserEntity,
  RefreshTokenEntity,
  TaskEntity,
  WebhookDeliveryEntity,
  AssetEntity,
  SpeechCacheEntity,
];
