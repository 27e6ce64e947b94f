import { resolve, join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';
import { EnvironmentVariables } from 'src/config/env.schema';

export type DbConfig =
  | { type: 'sqlite'; path: string }
  | { type: 'mysql'; host: string; port: number; user: string; password: string; name: string; poolSize: number };

/** Typed, validated configuration. Built once at boot; injected by class. */
export class AppConfig {
  port!: number;
  host!: string;
  dataDir!: string;
  logLevel!: string;
  corsOrigins!: string[] | true;
  trustProxy!: boolean;
  shutdownTimeoutMs!: number;
  db!: DbConfig;
  redis!: { url?: string; queuePrefix: string; cacheNamespace: string; cacheTtlMs: number };
  storage!: {
    driver: 'local' | 's3';
    localRoot: string;
    s3: {
      endpoint?: string;
      bucket?: string;
      region: string;
      accessKeyId?: string;
      secretAccessKey?: string;
      forcePathStyle: boolean;
    };
  };
  ai!: {
    provider: 'openai' | 'offline';
    openai: { apiKey?: string; baseUrl?: string; model: string; ttsModel: string; imageModel: string };
    /** Per-request time limit for the OpenAI-compatible service; unset: each provider's own default. */
    openaiTimeoutMs?: number;
  };
  auth!: {
    jwtSecret?: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    adminEmail?: string;
    adminPassword?: string;
    maxFailuresPerAccount: number;
    maxFailuresPerIp: number;
    failureWindowSeconds: number;
  };
  uploads!: { maxBytes: number };
  worker!: { concurrency: number };
  webhooks!: { secret?: string; allowPrivate: boolean; maxAttempts: number; backoffMs: number; timeoutMs: number };
  tasks!: {
    maxAttempts: number;
    backoffMs: number;
    leaseMs: number;
    reconcileIntervalMs: number;
    timeoutMs: number;
    sseHeartbeatMs: number;
  };
  media!: { ffmpegPath: string; ffprobePath: string };
  health!: { minFreeDiskBytes: number };
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

// class-validator lists constraints last-declared first; the first declared (the type check) reads best.
const describe = (error: ValidationError, env: NodeJS.ProcessEnv): string => {
  const reasons = Object.values(error.constraints ?? {});
  const reason = (reasons[reasons.length - 1] ?? 'is invalid').replace(new RegExp(`^${error.property} `), '');
  return `${error.property} ${reason} (got ${JSON.stringify(env[error.property])})`;
};

// The schema's property names, from class-validator's metadata (instances have no own keys).
const schemaKeys = (): Set<string> =>
  new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
      .map((meta) => meta.propertyName),
  );

function validateEnv(env: NodeJS.ProcessEnv): EnvironmentVariables {
  const keys = schemaKeys();
  const relevant = Object.fromEntries(Object.entries(env).filter(([key]) => keys.has(key)));
  const parsed = plainToInstance(EnvironmentVariables, relevant);
  const errors = validateSync(parsed, { forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigValidationError(errors.map((error) => describe(error, env)));
  }
  return parsed;
}

function requireFor(condition: boolean, value: string | undefined, name: string, why: string, problems: string[]) {
  if (condition && !value) {
    problems.push(`${name} is required ${why}`);
  }
}

/** Reads and validates the environment; throws ConfigValidationError naming every bad variable. */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const e = validateEnv(env);
  const dataDir = resolve(e.DATA_DIR ?? './data');
  const dbType = (e.DB_TYPE ?? 'sqlite') as 'sqlite' | 'mysql';
  const storageDriver = (e.STORAGE_DRIVER ?? 'local') as 'local' | 's3';
  const problems: string[] = [];
  const shared = 'when DB_TYPE=mysql (every process must share it)';
  requireFor(dbType === 'mysql', e.DB_HOST, 'DB_HOST', 'when DB_TYPE=mysql', problems);
  requireFor(dbType === 'mysql', e.DB_NAME, 'DB_NAME', 'when DB_TYPE=mysql', problems);
  requireFor(dbType === 'mysql', e.DB_USER, 'DB_USER', 'when DB_TYPE=mysql', problems);
  requireFor(dbType === 'mysql', e.JWT_SECRET, 'JWT_SECRET', shared, problems);
  requireFor(dbType === 'mysql', e.WEBHOOK_SECRET, 'WEBHOOK_SECRET', shared, problems);
  requireFor(storageDriver === 's3', e.S3_BUCKET, 'S3_BUCKET', 'when STORAGE_DRIVER=s3', problems);
  if (e.AI_PROVIDER === 'openai' && !e.OPENAI_API_KEY) {
    problems.push('OPENAI_API_KEY is required when AI_PROVIDER=openai');
  }
  if (Boolean(e.ADMIN_EMAIL) !== Boolean(e.ADMIN_PASSWORD)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  if (problems.length > 0) {
    throw new ConfigValidationError(problems);
  }

  const cors = (e.CORS_ORIGINS ?? '*').trim();
  return Object.assign(new AppConfig(), {
    port: e.PORT ?? 3000,
    host: e.HOST ?? '0.0.0.0',
    dataDir,
    logLevel: e.LOG_LEVEL ?? 'info',
    corsOrigins:
      cors === '*'
        ? true
        : cors
            .split(',')
            .map((origin) => origin.trim())
            .filter(Boolean),
    trustProxy: e.TRUST_PROXY ?? false,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS ?? 30_000,
    db:
      dbType === 'mysql'
        ? {
            type: 'mysql',
            host: e.DB_HOST!,
            port: e.DB_PORT ?? 3306,
            user: e.DB_USER!,
            password: e.DB_PASSWORD ?? '',
            name: e.DB_NAME!,
            poolSize: e.DB_POOL_SIZE ?? 10,
          }
        : { type: 'sqlite', path: resolve(e.DB_PATH ?? join(dataDir, 'reelsmith.db')) },
    redis: {
      url: e.REDIS_URL,
      queuePrefix: e.QUEUE_PREFIX ?? 'reelsmith',
      cacheNamespace: `${e.QUEUE_PREFIX ?? 'reelsmith'}:cache`,
      cacheTtlMs: (e.CACHE_TTL_SECONDS ?? 3600) * 1000,
    },
    storage: {
      driver: storageDriver,
      localRoot: join(dataDir, 'storage'),
      s3: {
        endpoint: e.S3_ENDPOINT,
        bucket: e.S3_BUCKET,
        region: e.S3_REGION ?? 'us-east-1',
        accessKeyId: e.S3_ACCESS_KEY_ID,
        secretAccessKey: e.S3_SECRET_ACCESS_KEY,
        forcePathStyle: e.S3_FORCE_PATH_STYLE ?? true,
      },
    },
    ai: {
      provider: (e.AI_PROVIDER ?? (e.OPENAI_API_KEY ? 'openai' : 'offline')) as 'openai' | 'offline',
      openai: {
        apiKey: e.OPENAI_API_KEY,
        baseUrl: e.OPENAI_BASE_URL,
        model: e.OPENAI_MODEL ?? 'gpt-4o-mini',
        ttsModel: e.OPENAI_TTS_MODEL ?? 'gpt-4o-mini-tts',
        imageModel: e.OPENAI_IMAGE_MODEL ?? 'gpt-image-1',
      },
      openaiTimeoutMs: e.OPENAI_TIMEOUT_MS,
    },
    auth: {
      jwtSecret: e.JWT_SECRET,
      accessTtlSeconds: e.JWT_ACCESS_TTL_SECONDS ?? 900,
      refreshTtlSeconds: (e.JWT_REFRESH_TTL_DAYS ?? 30) * 86_400,
      adminEmail: e.ADMIN_EMAIL?.toLowerCase(),
      adminPassword: e.ADMIN_PASSWORD,
      maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT ?? 5,
      maxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP ?? 20,
      failureWindowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS ?? 900,
    },
    uploads: { maxBytes: e.MAX_UPLOAD_BYTES ?? 2 * 1024 ** 3 },
    worker: { concurrency: e.WORKER_CONCURRENCY ?? 2 },
    webhooks: {
      secret: e.WEBHOOK_SECRET,
      allowPrivate: e.WEBHOOK_ALLOW_PRIVATE ?? false,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS ?? 6,
      backoffMs: e.WEBHOOK_BACKOFF_MS ?? 5000,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS ?? 10_000,
    },
    tasks: {
      maxAttempts: e.TASK_MAX_ATTEMPTS ?? 3,
      backoffMs: e.TASK_BACKOFF_MS ?? 2000,
      leaseMs: e.TASK_LEASE_MS ?? 20_000,
      reconcileIntervalMs: e.TASK_RECONCILE_INTERVAL_MS ?? 5000,
      timeoutMs: e.TASK_TIMEOUT_MS ?? 30 * 60_000,
      sseHeartbeatMs: e.SSE_HEARTBEAT_MS ?? 15_000,
    },
    media: { ffmpegPath: e.FFMPEG_PATH ?? 'ffmpeg', ffprobePath: e.FFPROBE_PATH ?? 'ffprobe' },
    health: { minFreeDiskBytes: (e.MIN_FREE_DISK_MB ?? 256) * 1024 * 1024 },
  });
}
