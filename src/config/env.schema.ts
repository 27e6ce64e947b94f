import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

/** Env values are strings: 'false' must not become true through implicit conversion. */
const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') {
    return value;
  }
  const normalized = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalized)) {
    return true;
  }
  if (['false', '0', 'no', 'off', ''].includes(normalized)) {
    return false;
  }
  return value;
};

const emptyToUndefined = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : value);

/**
 * Every environment variable Reelsmith reads, with its rules. Validated once at boot by
 * `loadAppConfig`; nothing else reads `process.env`.
 */
export class EnvironmentVariables {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional() @IsString() @MinLength(1) DATA_DIR?: string;
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL?: string;
  @IsOptional() @IsString() CORS_ORIGINS?: string;
  @IsOptional() @Transform(toBoolean) @IsBoolean() TRUST_PROXY?: boolean;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(600000) SHUTDOWN_TIMEOUT_MS?: number;

  @IsOptional() @IsIn(['sqlite', 'mysql']) DB_TYPE?: string;
  @IsOptional() @IsString() DB_PATH?: string;
  @IsOptional() @IsString() DB_HOST?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(65535) DB_PORT?: number;
  @IsOptional() @IsString() DB_USER?: string;
  @IsOptional() @IsString() DB_PASSWORD?: string;
  @IsOptional() @IsString() DB_NAME?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) DB_POOL_SIZE?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true })
  REDIS_URL?: string;
  @IsOptional() @IsString() @MinLength(1) QUEUE_PREFIX?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) CACHE_TTL_SECONDS?: number;

  @IsOptional() @IsIn(['local', 's3']) STORAGE_DRIVER?: string;
  @IsOptional() @IsString() S3_ENDPOINT?: string;
  @IsOptional() @IsString() S3_BUCKET?: string;
  @IsOptional() @IsString() S3_REGION?: string;
  @IsOptional() @IsString() S3_ACCESS_KEY_ID?: string;
  @IsOptional() @IsString() S3_SECRET_ACCESS_KEY?: string;
  @IsOptional() @Transform(toBoolean) @IsBoolean() S3_FORCE_PATH_STYLE?: boolean;

  @IsOptional() @IsIn(['openai', 'offline']) AI_PROVIDER?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() OPENAI_API_KEY?: string;
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  OPENAI_BASE_URL?: string;
  @IsOptional() @IsString() OPENAI_MODEL?: string;
  @IsOptional() @IsString() OPENAI_TTS_MODEL?: string;
  @IsOptional() @IsString() OPENAI_IMAGE_MODEL?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(600_000) OPENAI_TIMEOUT_MS?: number;

  @IsOptional() @Transform(emptyToUndefined) @IsString() @MinLength(32) JWT_SECRET?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(60) @Max(86400) JWT_ACCESS_TTL_SECONDS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(365) JWT_REFRESH_TTL_DAYS?: number;
  @IsOptional() @Transform(emptyToUndefined) @IsEmail() ADMIN_EMAIL?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MinLength(8) @MaxLength(128) ADMIN_PASSWORD?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) LOGIN_MAX_FAILURES_PER_ACCOUNT?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) LOGIN_MAX_FAILURES_PER_IP?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) LOGIN_FAILURE_WINDOW_SECONDS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) MAX_UPLOAD_BYTES?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(64) WORKER_CONCURRENCY?: number;
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MinLength(16) WEBHOOK_SECRET?: string;
  @IsOptional() @Transform(toBoolean) @IsBoolean() WEBHOOK_ALLOW_PRIVATE?: boolean;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(20) WEBHOOK_MAX_ATTEMPTS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) WEBHOOK_BACKOFF_MS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(100) WEBHOOK_TIMEOUT_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(20) TASK_MAX_ATTEMPTS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) TASK_BACKOFF_MS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1000) TASK_LEASE_MS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(100) TASK_RECONCILE_INTERVAL_MS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1000) TASK_TIMEOUT_MS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(100) SSE_HEARTBEAT_MS?: number;
  @IsOptional() @IsString() FFMPEG_PATH?: string;
  @IsOptional() @IsString() FFPROBE_PATH?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) MIN_FREE_DISK_MB?: number;
}
