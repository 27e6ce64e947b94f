import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';

/** Where Redis is: REDIS_URL, or the private server the bootstrap started. */
export class RedisEndpoint {
  constructor(readonly url: string) {}
}

const ERROR_LOG_INTERVAL_MS = 10_000;
const BOOT_WAIT_MS = 5000;

/**
 * Connection options for our own short commands (throttling, health). No offline queue: while
 * Redis is away a command fails at once instead of piling up, and callers answer 503.
 */
export function commandClientOptions(): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
  };
}

/** Logs a lost connection once per interval instead of once per retry, and never throws. */
export function watchRedisErrors(emitter: { on(event: 'error', fn: (err: Error) => void): unknown }, logger: Logger) {
  let lastLogged = 0;
  emitter.on('error', (err: Error) => {
    const now = Date.now();
    if (now - lastLogged >= ERROR_LOG_INTERVAL_MS) {
      lastLogged = now;
      logger.warn(`Redis connection problem: ${err.message}`);
    }
  });
}

/** The shared ioredis client for the app's own commands. */
@Injectable()
export class RedisClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisClient.name);
  readonly redis: Redis;

  constructor(@Inject(RedisEndpoint) endpoint: RedisEndpoint) {
    this.redis = new Redis(endpoint.url, commandClientOptions());
    watchRedisErrors(this.redis, this.logger);
  }

  /** Boot waits briefly for the connection, so the first requests do not fail; Redis down is no boot error. */
  async onModuleInit(): Promise<void> {
    if (this.redis.status === 'ready') {
      return;
    }
    const ready = new Promise<boolean>((resolve) => this.redis.once('ready', () => resolve(true)));
    const timer = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), BOOT_WAIT_MS).unref());
    if (!(await Promise.race([ready, timer]))) {
      this.logger.warn(`Redis not reachable after ${BOOT_WAIT_MS} ms; continuing, readiness reports it`);
    }
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

@Global()
@Module({})
export class RedisModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: RedisModule,
      providers: [{ provide: RedisEndpoint, useValue: new RedisEndpoint(url) }, RedisClient],
      exports: [RedisEndpoint, RedisClient],
    };
  }
}
