import { DataSource } from 'typeorm';
import { errorShape, registerUser, startTestApp, TestApp } from 'test/utils/test-app';

describe('HTTP platform (e2e)', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ CORS_ORIGINS: 'https://studio.example.com' });
  });

  afterAll(() => sut.close());

  it('answers unknown routes with 404 in the contract shape and a request id', async () => {
    const res = await sut.http.get('/api/v1/no-such-thing').expect(404);
    expect(res.body).toEqual(errorShape('NOT_FOUND', 404));
    expect(res.headers['x-request-id']).toEqual(res.body.requestId);
  });

  it('echoes a client X-Request-Id and replaces an unsafe one', async () => {
    const echoed = await sut.http.get('/health/live').set('X-Request-Id', 'client-id-123').expect(200);
    expect(echoed.headers['x-request-id']).toBe('client-id-123');
    const replaced = await sut.http.get('/health/live').set('X-Request-Id', 'bad id\twith spaces').expect(200);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers malformed JSON with 400 VALIDATION_FAILED', async () => {
    const res = await sut.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@b.c",')
      .expect(400);
    expect(res.body).toEqual(errorShape('VALIDATION_FAILED', 400));
    expect(res.body.message).not.toMatch(/at |position|Unexpected/);
  });

  it('answers a body over 1 MiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const huge = JSON.stringify({ email: 'a@b.cd', password: 'x'.repeat(1024 * 1024 + 10) });
    const res = await sut.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(huge)
      .expect(413);
    expect(res.body).toEqual(errorShape('PAYLOAD_TOO_LARGE', 413));
  });

  it('names every bad field in details, unknown fields included', async () => {
    const res = await sut.http
      .post('/api/v1/auth/register')
      .send({ email: 'not-an-email', password: 42, extra: true })
      .expect(400);
    expect(res.body).toMatchObject(errorShape('VALIDATION_FAILED', 400));
    const fields = res.body.details.map((d: { field: string }) => d.field);
    expect(new Set(fields)).toEqual(new Set(['email', 'password', 'extra']));
    expect(res.body.details).toContainEqual({ field: 'extra', message: 'should not exist' });
  });

  it('sets security headers and CORS for the configured origin only', async () => {
    const allowed = await sut.http.get('/health/live').set('Origin', 'https://studio.example.com').expect(200);
    expect(allowed.headers['x-content-type-options']).toBe('nosniff');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://studio.example.com');
    expect(allowed.headers['access-control-expose-headers']).toContain('X-Request-Id');
    const other = await sut.http.get('/health/live').set('Origin', 'https://evil.example.com').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers unexpected failures with a generic 500 that leaks no SQL, path or stack', async () => {
    const user = await registerUser(sut.http);
    await sut.running.app.get(DataSource).query('ALTER TABLE users RENAME TO users_gone');
    try {
      const res = await sut.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${user.accessToken}`).expect(500);
      expect(res.body).toEqual(errorShape('INTERNAL', 500));
      expect(res.body.message).toBe('Internal server error');
      expect(JSON.stringify(res.body)).not.toMatch(/users|SELECT|sqlite|\/tmp|\.ts:/i);
    } finally {
      await sut.running.app.get(DataSource).query('ALTER TABLE users_gone RENAME TO users');
    }
  });
});
