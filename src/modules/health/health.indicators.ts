import { execFile } from 'node:child_process';
import { statfs } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig } from 'src/config/app.config';
import { RedisClient } from 'src/common/redis/redis.module';
import { withTimeout } from 'src/common/utils/with-timeout';

export const CHECK_TIMEOUT_MS = 1500;

function runVersion(binary: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(binary, ['-version'], { timeout: CHECK_TIMEOUT_MS }, (error) =>
      error ? reject(new Error(error.message)) : resolve(),
    );
  });
}

@Injectable()
export class ReadinessIndicators {
  // ffmpeg does not vanish between probes: once found, it is not spawned again for a minute.
  private mediaCheckedAt = 0;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  async redisPing(key = 'redis'): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    try {
      await withTimeout(this.redis.ping(), CHECK_TIMEOUT_MS, 'Redis ping');
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  async disk(key = 'storage'): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    try {
      const stats = await statfs(this.config.dataDir);
      const freeBytes = stats.bavail * stats.bsize;
      const required = this.config.health.minFreeDiskBytes;
      const details = { freeMb: Math.floor(freeBytes / 1048576), requiredMb: Math.floor(required / 1048576) };
      return freeBytes >= required ? check.up(details) : check.down({ ...details, message: 'Not enough free disk' });
    } catch (error) {
      return check.down({ message: (error as NodeJS.ErrnoException).code ?? 'statfs failed' });
    }
  }

  async mediaTools(key = 'media'): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    if (Date.now() - this.mediaCheckedAt < 60_000) {
      return check.up();
    }
    try {
      await Promise.all([runVersion(this.config.media.ffmpegPath), runVersion(this.config.media.ffprobePath)]);
      this.mediaCheckedAt = Date.now();
      return check.up();
    } catch {
      return check.down({ message: 'ffmpeg/ffprobe not runnable' });
    }
  }
}
