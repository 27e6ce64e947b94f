import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Global setup runs outside Jest's module mapper, hence the relative path.
// eslint-disable-next-line no-restricted-imports
import { EmbeddedRedis } from '../../src/common/redis/embedded-redis';

/** One real redis-server for the whole run; each test app isolates itself with its own key prefix. */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  const dataDir = mkdtempSync(join(tmpdir(), 'reelsmith-test-redis-'));
  const redis = await EmbeddedRedis.start({ dataDir });
  process.env.TEST_REDIS_URL = redis.url;
  (globalThis as Record<string, unknown>).__reelsmithTestRedis = { redis, dataDir };
}
