import { AssetEntity } from 'src/modules/assets/entities/asset.entity';
import { ProjectEntity } from 'src/modules/projects/entities/project.entity';
import { SceneEntity } from 'src/modules/projects/entities/scene.entity';
import { SpeechCacheEntity } from 'src/modules/voice/entities/speech-cache.entity';
import { RefreshTokenEntity } from 'src/modules/auth/entities/refresh-token.entity';
import { TaskEntity } from 'src/modules/tasks/entities/task.entity';
import { TemplateEntity } from 'src/modules/templates/entities/template.entity';
import { UserEntity } from 'src/modules/users/entities/user.entity';
import { VideoEntity } from 'src/modules/videos/entities/video.entity';
import { WebhookDeliveryEntity } from 'src/modules/webhooks/entities/webhook-delivery.entity';

/** Every TypeORM entity; the data source and the migration CLI load this list. */
export const entities = [
  UserEntity,
  RefreshTokenEntity,
  TaskEntity,
  WebhookDeliveryEntity,
  AssetEntity,
  SpeechCacheEntity,
  TemplateEntity,
  ProjectEntity,
  SceneEntity,
  VideoEntity,
];
