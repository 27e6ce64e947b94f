import { Global, Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { LocalStorageDriver } from 'src/storage/local-storage.driver';
import { S3StorageDriver } from 'src/storage/s3-storage.driver';
import { StorageDriver } from 'src/storage/storage.driver';

/** The driver STORAGE_DRIVER names. */
export function createStorageDriver(config: AppConfig): StorageDriver {
  const { storage } = config;
  return storage.driver === 's3' ? new S3StorageDriver(storage.s3) : new LocalStorageDriver(storage.localRoot);
}

/** Binds StorageDriver for every module (assets now; voice and video later). */
@Global()
@Module({
  providers: [{ provide: StorageDriver, inject: [AppConfig], useFactory: createStorageDriver }],
  exports: [StorageDriver],
})
export class StorageModule {}
