import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from 'src/common/utils/with-timeout';
import { StorageDriver } from 'src/storage/storage.driver';
import { StorageUnavailableError } from 'src/storage/storage.errors';

const PING_TIMEOUT_MS = 2500;

/** Readiness of the object storage: the local root is writable, or the S3 bucket answers. */
@Injectable()
export class StorageHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly storage: StorageDriver,
  ) {}

  async ping(key = 'objectStorage'): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    try {
      await withTimeout(this.storage.ping(), PING_TIMEOUT_MS, 'Storage ping');
      return check.up({ driver: this.storage.kind });
    } catch (error) {
      const message = error instanceof StorageUnavailableError ? error.reason : (error as Error).message;
      return check.down({ driver: this.storage.kind, message });
    }
  }
}
