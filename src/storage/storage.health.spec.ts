import { HealthIndicatorService } from '@nestjs/terminus';
import { StorageDriver } from 'src/storage/storage.driver';
import { StorageUnavailableError } from 'src/storage/storage.errors';
import { StorageHealthIndicator } from 'src/storage/storage.health';

describe(StorageHealthIndicator.name, () => {
  const storageWith = (ping: () => Promise<void>) => ({ kind: 's3', ping }) as unknown as StorageDriver;

  it('is up when the storage answers its ping', async () => {
    const sut = new StorageHealthIndicator(
      new HealthIndicatorService(),
      storageWith(() => Promise.resolve()),
    );
    await expect(sut.ping()).resolves.toEqual({ objectStorage: { status: 'up', driver: 's3' } });
  });

  it('is down with the reason when the ping fails', async () => {
    const failure = new StorageUnavailableError('S3 bucket media is not usable: NoSuchBucket (HTTP 404)');
    const sut = new StorageHealthIndicator(
      new HealthIndicatorService(),
      storageWith(() => Promise.reject(failure)),
    );
    await expect(sut.ping('storage')).resolves.toEqual({
      storage: { status: 'down', driver: 's3', message: failure.reason },
    });
  });

  it('is down when the ping hangs', async () => {
    jest.useFakeTimers();
    try {
      const sut = new StorageHealthIndicator(
        new HealthIndicatorService(),
        storageWith(() => new Promise(() => {})),
      );
      const result = sut.ping();
      await jest.advanceTimersByTimeAsync(3000);
      await expect(result).resolves.toMatchObject({
        objectStorage: { status: 'down', message: expect.stringMatching(/timed out/) },
      });
    } finally {
      jest.useRealTimers();
    }
  });
});
