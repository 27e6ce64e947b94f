import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QueueName } from 'src/common/queue/queue.names';
import { errorShape, registerUser, startTestApp, TestApp } from 'test/utils/test-app';

const ADMIN_EMAIL = 'Admin@Example.com';
const ADMIN_PASSWORD = 'admin:pässword-1';
// Recognisable values, so a leak anywhere in a response is easy to find.
const JWT_SECRET = 'jwt-secret-SENTINEL-7f3a9c1e5b2d4f6a8c0e1b3d5f7a9c1e';
const WEBHOOK_SECRET = 'webhook-secret-SENTINEL-4e6a8c0e2b4d';
const SECRETS = [JWT_SECRET, WEBHOOK_SECRET, ADMIN_PASSWORD];
const CHALLENGE = 'Basic realm="Reelsmith admin", charset="UTF-8"';

const basic = (email: string, password: string) =>
  `Basic ${Buffer.from(`${email}:${password}`, 'utf8').toString('base64')}`;
const asAdmin = basic(ADMIN_EMAIL, ADMIN_PASSWORD);

describe('Admin queue dashboard (e2e)', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      JWT_SECRET,
      WEBHOOK_SECRET,
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
    });
  });

  afterAll(() => sut.close());

  it.each([
    '/admin/queues',
    '/admin/queues/api/queues',
    '/admin/queues/static/favicon.ico',
    '/admin/queues/queue/tasks',
  ])('answers %s without credentials with 401 and a Basic challenge', async (path) => {
    const res = await sut.http.get(path).expect(401);
    expect(res.headers['www-authenticate']).toBe(CHALLENGE);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(res.body).toEqual(errorShape('UNAUTHORIZED', 401));
  });

  it.each(['Bearer abc', 'Basic', 'Basic %%%', `Basic ${Buffer.from('no-colon').toString('base64')}`])(
    'answers a malformed Authorization header (%s) with 401',
    async (header) => {
      const res = await sut.http.get('/admin/queues').set('Authorization', header).expect(401);
      expect(res.headers['www-authenticate']).toBe(CHALLENGE);
    },
  );

  it('answers a wrong password and an unknown account with 401', async () => {
    for (const header of [basic(ADMIN_EMAIL, 'not-the-password'), basic('ghost@example.com', ADMIN_PASSWORD)]) {
      const res = await sut.http.get('/admin/queues/api/queues').set('Authorization', header).expect(401);
      expect(res.headers['www-authenticate']).toBe(CHALLENGE);
      expect(res.body).toEqual(errorShape('UNAUTHORIZED', 401));
    }
  });

  it('answers a registered user who is not an admin with 403, on the page and on the JSON API', async () => {
    const user = await registerUser(sut.http);
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      const res = await sut.http.get(path).set('Authorization', basic(user.email, user.password)).expect(403);
      expect(res.body).toEqual(errorShape('FORBIDDEN', 403));
      expect(res.headers['www-authenticate']).toBeUndefined();
    }
  });

  it('serves the dashboard page and its assets to an admin', async () => {
    const page = await sut.http.get('/admin/queues').set('Authorization', asAdmin).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('/admin/queues/');
    expect(page.text).toContain('Reelsmith queues');
    // A client-side route of the single-page app is served the same page.
    await sut.http.get('/admin/queues/queue/tasks').set('Authorization', asAdmin).expect(200);
    await sut.http.get('/admin/queues/static/favicon-32x32.png').set('Authorization', asAdmin).expect(200);
  });

  it('lists every queue by name on the JSON API for an admin', async () => {
    const res = await sut.http.get('/admin/queues/api/queues').set('Authorization', asAdmin).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual([
      QueueName.Tasks,
      QueueName.Webhooks,
    ]);
    expect(res.body.queues.every((queue: { readOnlyMode: boolean }) => queue.readOnlyMode === false)).toBe(true);
  });

  it('sits outside /api/v1 and in front of Nest’s 404 handler', async () => {
    const prefixed = await sut.http.get('/api/v1/admin/queues').set('Authorization', asAdmin).expect(404);
    expect(prefixed.body).toEqual(errorShape('NOT_FOUND', 404));
    // Past the board (authenticated) an unknown path still reaches Nest's handler in the contract's shape.
    const unknown = await sut.http.get('/admin/queues/no/such/thing').set('Authorization', asAdmin).expect(404);
    expect(unknown.body).toEqual(errorShape('NOT_FOUND', 404));
  });

  it('lets an admin act on jobs, and no response carries a configured secret', async () => {
    const tasks = sut.running.app.get<Queue>(getQueueToken(QueueName.Tasks));
    const job = await tasks.add({ taskId: 'e2e-admin-board' }, { delay: 3_600_000 });
    const bodies: string[] = [];
    const read = async (path: string) => {
      const res = await sut.http.get(path).set('Authorization', asAdmin).expect(200);
      bodies.push(res.text);
      return res;
    };

    await read('/admin/queues');
    const listed = await read('/admin/queues/api/queues?activeQueue=tasks&status=delayed&page=1&jobsPerPage=10');
    const tasksQueue = listed.body.queues.find((queue: { name: string }) => queue.name === QueueName.Tasks);
    expect(tasksQueue.jobs.map((listedJob: { id: string }) => String(listedJob.id))).toEqual([String(job.id)]);
    await read(`/admin/queues/api/queues/tasks/${job.id}`);
    await read('/admin/queues/api/queues/tasks/default-job-options');
    await read('/admin/queues/api/queues/webhooks/workers');
    await read('/admin/queues/api/redis/stats');
    for (const body of bodies) {
      for (const secret of SECRETS) {
        expect(body).not.toContain(secret);
      }
    }

    // A JSON body, already parsed by the app's own body parser, still reaches the board's routes.
    await sut.http
      .patch(`/admin/queues/api/queues/tasks/${job.id}/update-data`)
      .set('Authorization', asAdmin)
      .send({ jobData: { taskId: 'edited-by-admin' } })
      .expect(200);
    expect((await tasks.getJob(job.id))?.data).toEqual({ taskId: 'edited-by-admin' });
    await sut.http.put(`/admin/queues/api/queues/tasks/${job.id}/clean`).set('Authorization', asAdmin).expect(204);
    expect(await tasks.getJob(job.id)).toBeNull();
  });

  it('counts failed Basic attempts as login failures and answers 429 once the limit is reached', async () => {
    const user = await registerUser(sut.http);
    for (let i = 0; i < 3; i++) {
      await sut.http.get('/admin/queues').set('Authorization', basic(user.email, 'wrong-password')).expect(401);
    }
    const blocked = await sut.http.get('/admin/queues').set('Authorization', basic(user.email, user.password));
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual(errorShape('RATE_LIMITED', 429));
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // The same counters guard POST /auth/login: the board cannot be used to go on guessing.
    await sut.http.post('/api/v1/auth/login').send({ email: user.email, password: user.password }).expect(429);
  });
});
