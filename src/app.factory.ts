import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from 'src/config/app.config';
import { EmbeddedRedis } from 'src/common/redis/embedded-redis';
import { AppModule } from 'src/app.module';
import { ProcessRole } from 'src/config/process-role';
import { configureHttpApp } from 'src/app.setup';

export interface RunningReelsmith {
  app: INestApplicationContext;
  /** Base URL of the HTTP server, when this process serves HTTP. */
  url?: string;
  redisUrl: string;
  close(): Promise<void>;
}

/** REDIS_URL, or a private redis-server under $DATA_DIR/redis that lives as long as this process. */
async function resolveRedis(config: AppConfig): Promise<{ url: string; stop(): Promise<void> }> {
  if (config.redis.url) {
    return { url: config.redis.url, stop: () => Promise.resolve() };
  }
  return EmbeddedRedis.start({ dataDir: join(config.dataDir, 'redis') });
}

/** Boots one Reelsmith process in the given role. */
export async function startReelsmith(config: AppConfig, role: ProcessRole): Promise<RunningReelsmith> {
  const redis = await resolveRedis(config);
  try {
    const module = AppModule.forRoot({ config, redisUrl: redis.url, role });
    if (role === 'worker') {
      const app = await NestFactory.createApplicationContext(module, { bufferLogs: true });
      return { app, redisUrl: redis.url, close: closer(app, redis) };
    }
    const app = await NestFactory.create<NestExpressApplication>(module, { bodyParser: false, bufferLogs: true });
    configureHttpApp(app, config);
    await app.listen(config.port, config.host);
    const address = app.getHttpServer().address() as { port: number };
    const host = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host;
    return { app, url: `http://${host}:${address.port}`, redisUrl: redis.url, close: closer(app, redis) };
  } catch (error) {
    await redis.stop();
    throw error;
  }
}

function closer(app: INestApplicationContext, redis: { stop(): Promise<void> }) {
  let closing: Promise<void> | undefined;
  return () => {
    // Redis goes last: the app's queues and caches disconnect from it while closing.
    closing ??= app.close().finally(() => redis.stop());
    return closing;
  };
}
