import { spawnTestRedis, TestRedis } from 'test/utils/redis-server';
import { waitFor } from 'test/utils/wait';
import { errorShape, registerUser, startTestApp, TestApp } from 'test/utils/test-app';

describe('Losing Redis (e2e)', () => {
  let redis: TestRedis;
  let sut: TestApp;

  beforeAll(async () => {
    redis = await spawnTestRedis();
    sut = await startTestApp({ REDIS_URL: redis.url });
  });

  afterAll(async () => {
    await sut.close();
    await redis.stop();
  });

  it('keeps serving, reports not-ready and answers 503 while Redis is gone, then recovers', async () => {
    const user = await registerUser(sut.http);
    await redis.kill();

    const started = Date.now();
    const login = await sut.http.post('/api/v1/auth/login').send({ email: user.email, password: user.password });
    expect(login.status).toBe(503);
    expect(login.body).toMatchObject(errorShape('SERVICE_UNAVAILABLE', 503));
    expect(Date.now() - started).toBeLessThan(3000);

    const ready = await sut.http.get('/health/ready').expect(503);
    expect(ready.body.error.redis.status).toBe('down');
    expect(ready.body.info.database.status).toBe('up');
    // Routes that do not need Redis keep working.
    await sut.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${user.accessToken}`).expect(200);

    redis = await spawnTestRedis({ port: redis.port });
    await waitFor(async () => (await sut.http.get('/health/ready')).status === 200, 10_000, 'ready again');
    await sut.http.post('/api/v1/auth/login').send({ email: user.email, password: user.password }).expect(200);
  });
});
