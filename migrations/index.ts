import { CreateUsersAndRefreshTokens1795940087363 } from 'migrations/1795940087363-CreateUsersAndRefreshTokens';
import { CreateTasksAndWebhookDeliveries1795940753824 } from 'migrations/1795940753824-CreateTasksAndWebhookDeliveries';
import { CreateAssets1795942316969 } from 'migrations/1795942316969-CreateAssets';
import { CreateSpeechCache1795943423492 } from 'migrations/1795943423492-CreateSpeechCache';
import { CreateTemplates1795943889624 } from 'migrations/1795943889624-CreateTemplates';
import { CreateProjectsAndScenes1795943889625 } from 'migrations/1795943889625-CreateProjectsAndScenes';
import { CreateVideos1795943889626 } from 'migrations/1795943889626-CreateVideos';

/**
 * Every migration, oldest first. Listed explicitly (not globbed) so the same list loads under
 * ts-jest and from dist/; `npm run migration:generate` writes a new file that must be added here.
 */
export const migrations = [
  CreateUsersAndRefreshTokens1795940087363,
  CreateTasksAndWebhookDeliveries1795940753824,
  CreateAssets1795942316969,
  CreateSpeechCache1795943423492,
  CreateTemplates1795943889624,
  CreateProjectsAndScenes1795943889625,
  CreateVideos1795943889626,
];
