import { registerUser, startTestApp, TestApp } from 'test/utils/test-app';

describe('Operations endpoints (e2e)', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });

  afterAll(() => sut.close());

  it('GET /health/live answers 200 without a token', async () => {
    const res = await sut.http.get('/health/live').expect(200);
    expect(res.body.status).toBe('ok');
  });

  it('GET /health/ready checks database, Redis, disk and media tools', async () => {
    const res = await sut.http.get('/health/ready').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: {
        database: { status: 'up' },
        redis: { status: 'up' },
        storage: { status: 'up' },
        media: { status: 'up' },
      },
      error: {},
    });
  });

  it('GET /health/ready answers 503 with the failing check named when disk is short', async () => {
    const starved = await startTestApp({ MIN_FREE_DISK_MB: String(1024 * 1024 * 1024) });
    try {
      const res = await starved.http.get('/health/ready').expect(503);
      expect(res.body.status).toBe('error');
      expect(res.body.error.storage.status).toBe('down');
      expect(res.body.info.database.status).toBe('up');
    } finally {
      await starved.close();
    }
  });

  it('serves Swagger UI and an OpenAPI document generated from the decorators', async () => {
    const ui = await sut.http.get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
    const doc = await sut.http.get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.paths['/api/v1/auth/register'].post.operationId).toBe('register');
    expect(doc.body.paths['/api/v1/auth/me'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.body.components.schemas.ErrorResponseDto).toBeDefined();
    expect(doc.body.paths['/api/v1/scripts'].post.operationId).toBe('createScript');
    expect(doc.body.paths['/api/v1/tasks/{id}/events'].get.operationId).toBe('streamTaskEvents');
    expect(Object.keys(doc.body.paths['/api/v1/tasks/{id}/cancel'])).toEqual(['post']);
  });

  it('exposes Prometheus metrics with a request histogram by route and status', async () => {
    const user = await registerUser(sut.http);
    await sut.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${user.accessToken}`).expect(200);
    const res = await sut.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/auth\/me",status="200"\} 1/,
    );
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });
});
