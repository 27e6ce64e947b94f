import { rmSync } from 'node:fs';
// eslint-disable-next-line no-restricted-imports
import type { EmbeddedRedis } from '../../src/common/redis/embedded-redis';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__reelsmithTestRedis as
    { redis: EmbeddedRedis; dataDir: string } | undefined;
  if (state) {
    await state.redis.stop();
    rmSync(state.dataDir, { recursive: true, force: true });
  }
}
