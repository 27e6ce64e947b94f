import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { RedisClient } from 'src/common/redis/redis.module';
import { AuthErrors } from 'src/modules/auth/auth.errors';

/**
 * Counts failed logins per account and per client IP in Redis, so the limit holds across every
 * API process. Counters live for one window from the first failure.
 */
@Injectable()
export class LoginThrottleService {
  private readonly logger = new Logger(LoginThrottleService.name);

  constructor(
    private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  /** Throws RATE_LIMITED while either counter is at its limit. */
  async assertAllowed(email: string, ip: string): Promise<void> {
    const [accountKey, ipKey] = this.keys(email, ip);
    const { maxFailuresPerAccount, maxFailuresPerIp } = this.config.auth;
    const counts = await this.run(() => this.redis.redis.mget(accountKey, ipKey));
    const blocked = [
      Number(counts[0] ?? 0) >= maxFailuresPerAccount ? accountKey : undefined,
      Number(counts[1] ?? 0) >= maxFailuresPerIp ? ipKey : undefined,
    ].filter((key): key is string => key !== undefined);
    if (blocked.length > 0) {
      const ttls = await this.run(() => Promise.all(blocked.map((key) => this.redis.redis.ttl(key))));
      throw AuthErrors.tooManyFailures(Math.max(1, ...ttls));
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const window = this.config.auth.failureWindowSeconds;
    const pipeline = this.redis.redis.multi();
    for (const key of this.keys(email, ip)) {
      pipeline.incr(key).expire(key, window, 'NX');
    }
    await this.run(() => pipeline.exec());
  }

  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.run(() => this.redis.redis.del(this.keys(email, ip)[0]));
  }

  private keys(email: string, ip: string): [string, string] {
    const prefix = `${this.config.redis.queuePrefix}:login-failures`;
    const account = createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
    return [`${prefix}:account:${account}`, `${prefix}:ip:${ip}`];
  }

  // Fail closed: without the counters we cannot tell a brute-force attempt from a user.
  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      this.logger.warn(`Login throttle unavailable: ${(error as Error).message}`);
      throw AuthErrors.throttleUnavailable();
    }
  }
}
