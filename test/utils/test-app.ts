import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { AppConfig, loadAppConfig } from 'src/config/app.config';
import { ProcessRole } from 'src/config/process-role';
import { RunningReelsmith, startReelsmith } from 'src/app.factory';

export interface TestApp {
  running: RunningReelsmith;
  config: AppConfig;
  http: TestAgent;
  dataDir: string;
  /** The environment the app was configured from, to start sibling processes on the same stack. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The Redis that test/setup/global-setup.ts started for this run. */
export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) {
    throw new Error('TEST_REDIS_URL is not set: run the tests through Jest (its global setup starts Redis)');
  }
  return url;
}

/**
 * Boots the real application (real SQLite in a temp dir, real Redis with a private key prefix).
 * `REDIS_URL: ''` in `env` makes the app start its own embedded redis-server instead.
 */
export async function startTestApp(env: Record<string, string> = {}, role: ProcessRole = 'all'): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'reelsmith-e2e-'));
  const fullEnv = {
    DATA_DIR: dataDir,
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}`,
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    MIN_FREE_DISK_MB: '1',
    ...env,
  };
  const config = loadAppConfig(fullEnv);
  const running = await startReelsmith(config, role);
  return {
    running,
    config,
    http: request(running.url!),
    dataDir,
    env: fullEnv,
    close: async () => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RegisteredUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export async function registerUser(http: TestAgent, email = `u-${randomUUID()}@example.com`): Promise<RegisteredUser> {
  const password = 'correct horse battery';
  const res = await http.post('/api/v1/auth/register').send({ email, password }).expect(201);
  return {
    id: res.body.user.id,
    email,
    password,
    accessToken: res.body.accessToken,
    refreshToken: res.body.refreshToken,
  };
}

/** The contract's error shape, for `expect(body).toMatchObject(errorShape('NOT_FOUND', 404))`. */
export function errorShape(error: string, statusCode: number) {
  return {
    statusCode,
    error,
    message: expect.any(String),
    requestId: expect.any(String),
    timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
  };
}
