import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { loadAppConfig } from 'src/config/app.config';
import { AppConfigModule } from 'src/config/config.module';
import { LocalStorageDriver } from 'src/storage/local-storage.driver';
import { S3StorageDriver } from 'src/storage/s3-storage.driver';
import { StorageDriver } from 'src/storage/storage.driver';
import { createStorageDriver, StorageModule } from 'src/storage/storage.module';

describe(StorageModule.name, () => {
  let dataDir: string;

  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'reelsmith-storage-module-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('binds the local driver under $DATA_DIR/storage by default', () => {
    const sut = createStorageDriver(loadAppConfig({ DATA_DIR: dataDir }));
    expect(sut).toBeInstanceOf(LocalStorageDriver);
    expect((sut as LocalStorageDriver).root).toBe(join(dataDir, 'storage'));
  });

  it('binds the S3 driver with STORAGE_DRIVER=s3', () => {
    const sut = createStorageDriver(
      loadAppConfig({
        DATA_DIR: dataDir,
        STORAGE_DRIVER: 's3',
        S3_BUCKET: 'media',
        S3_ENDPOINT: 'http://127.0.0.1:9',
        S3_ACCESS_KEY_ID: 'id',
        S3_SECRET_ACCESS_KEY: 'secret',
      }),
    ) as S3StorageDriver;
    expect(sut).toBeInstanceOf(S3StorageDriver);
    expect(sut).toMatchObject({ kind: 's3', bucket: 'media' });
    sut.onModuleDestroy();
  });

  it('refuses an S3 driver without a bucket', () => {
    expect(() => new S3StorageDriver({ region: 'us-east-1', forcePathStyle: true })).toThrow(/S3_BUCKET/);
  });

  it('makes StorageDriver injectable everywhere', async () => {
    const config = loadAppConfig({ DATA_DIR: dataDir });
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(config, 'all'), StorageModule],
    }).compile();
    const app = await moduleRef.createNestApplication().init();
    const sut = app.get(StorageDriver);
    expect(sut).toBeInstanceOf(LocalStorageDriver);
    await expect(sut.ping()).resolves.toBeUndefined();
    await app.close();
  });
});
