import { createHmac } from 'node:crypto';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QueueName } from 'src/common/queue/queue.names';
import { TaskEventsBus } from 'src/modules/tasks/task-events.bus';
import { TaskHandlerRegistry } from 'src/modules/tasks/task-handler.registry';
import { TasksRepository } from 'src/modules/tasks/tasks.repository';
import { TaskFailure } from 'src/modules/tasks/task.errors';
import { TasksService } from 'src/modules/tasks/tasks.service';
import { openSse } from 'test/utils/sse';
import { newSlowHandlerLog, slowHandler } from 'test/utils/slow-handler';
import { errorShape, registerUser, RegisteredUser, startTestApp, TestApp } from 'test/utils/test-app';
import { isAlive, waitFor } from 'test/utils/wait';
import { startWebhookReceiver } from 'test/utils/webhook-receiver';

const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

describe('Tasks (e2e)', () => {
  let sut: TestApp;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  const auth = (user: RegisteredUser) => ({ Authorization: `Bearer ${user.accessToken}` });

  beforeAll(async () => {
    sut = await startTestApp({
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_SECRET,
      WEBHOOK_BACKOFF_MS: '100',
      TASK_BACKOFF_MS: '50',
      TASK_RECONCILE_INTERVAL_MS: '300',
      SSE_HEARTBEAT_MS: '200',
    });
    alice = await registerUser(sut.http);
    bob = await registerUser(sut.http);
  });

  afterAll(() => sut.close());

  const createScript = (user: RegisteredUser, body: object, query = '', headers: Record<string, string> = {}) =>
    sut.http
      .post(`/api/v1/scripts${query}`)
      .set({ ...auth(user), ...headers })
      .send(body);

  const waitUntilFinished = async (user: RegisteredUser, id: string) => {
    let body: { status: string } = { status: 'queued' };
    await waitFor(
      async () => {
        body = (await sut.http.get(`/api/v1/tasks/${id}`).set(auth(user)).expect(200)).body;
        return ['completed', 'failed', 'cancelled'].includes(body.status);
      },
      15_000,
      `task ${id} finished`,
    );
    return body as Record<string, unknown>;
  };

  describe('POST /scripts', () => {
    it('answers 202 with the task and Location at once, and the task completes with a script', async () => {
      const res = await createScript(alice, { topic: 'How honeybees talk', sceneCount: 4, durationSeconds: 20 }).expect(
        202,
      );
      expect(res.body).toMatchObject({ taskId: res.body.id, type: 'script', status: 'queued', progress: 0 });
      expect(res.headers.location).toBe(`/api/v1/tasks/${res.body.id}`);
      const done = await waitUntilFinished(alice, res.body.id);
      expect(done).toMatchObject({ status: 'completed', progress: 100, attempts: 1, error: null });
      // Finished jobs leave Redis by age and count (the row keeps the history): check the job says so.
      const row = await sut.running.app.get(TasksRepository).findById(res.body.id);
      const job = await sut.running.app.get<Queue>(getQueueToken(QueueName.Tasks)).getJob(row!.jobId!);
      expect(job!.opts).toMatchObject({ removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 86400 } });
      const script = (done.result as { script: { scenes: unknown[]; language: string } }).script;
      expect(script.language).toBe('en');
      expect(script.scenes).toHaveLength(4);
    });

    it('with ?wait= answers 200 with the finished task', async () => {
      const res = await createScript(alice, { topic: '长城的历史', language: 'zh', sceneCount: 3 }, '?wait=20').expect(
        200,
      );
      expect(res.body.status).toBe('completed');
      const scenes = res.body.result.script.scenes as { narration: string }[];
      expect(scenes).toHaveLength(3);
      expect(scenes[0].narration).toMatch(/[\u4e00-\u9fff]/);
    });

    it('validates the body and the wait parameter with details per field', async () => {
      const res = await createScript(alice, { topic: '', sceneCount: 21, durationSeconds: 4, extra: 1 });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject(errorShape('VALIDATION_FAILED', 400));
      const fields = (res.body.details as { field: string }[]).map((d) => d.field);
      expect(new Set(fields)).toEqual(new Set(['topic', 'sceneCount', 'durationSeconds', 'extra']));
      const wait = await createScript(alice, { topic: 'fine' }, '?wait=61').expect(400);
      expect(wait.body.details).toEqual([{ field: 'wait', message: 'must not be greater than 60' }]);
      const language = await createScript(alice, { topic: 'fine', language: 'xx' }).expect(400);
      expect(language.body.details).toEqual([{ field: 'language', message: expect.stringContaining('not supported') }]);
    });

    it('requires a token', async () => {
      await sut.http.post('/api/v1/scripts').send({ topic: 'x' }).expect(401);
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the original task for the same key, and creates exactly one under concurrency', async () => {
      const body = { topic: 'Idempotent topic', sceneCount: 2 };
      const headers = { 'Idempotency-Key': 'key-concurrent-1' };
      const results = await Promise.all([1, 2, 3, 4, 5].map(() => createScript(alice, body, '', headers)));
      expect(results.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
      expect(new Set(results.map((r) => r.body.taskId)).size).toBe(1);
      const later = await createScript(alice, body, '', headers).expect(202);
      expect(later.body.taskId).toBe(results[0].body.taskId);
      expect(later.headers['idempotent-replayed']).toBe('true');
    });

    it('keeps keys per user and refuses a reused key with a different body', async () => {
      const headers = { 'Idempotency-Key': 'shared-key' };
      const mine = await createScript(alice, { topic: 'A' }, '', headers).expect(202);
      const theirs = await createScript(bob, { topic: 'A' }, '', headers).expect(202);
      expect(theirs.body.taskId).not.toBe(mine.body.taskId);
      const conflict = await createScript(alice, { topic: 'B' }, '', headers).expect(409);
      expect(conflict.body).toMatchObject(errorShape('CONFLICT', 409));
    });

    it('refuses keys over 200 characters', async () => {
      const res = await createScript(alice, { topic: 'x' }, '', { 'Idempotency-Key': 'k'.repeat(201) }).expect(400);
      expect(res.body.details).toEqual([{ field: 'Idempotency-Key', message: 'must be 1 to 200 characters' }]);
    });
  });

  describe('reading tasks', () => {
    it('lists own tasks newest first with filters and pagination', async () => {
      const user = await registerUser(sut.http);
      const ids: string[] = [];
      for (const topic of ['one', 'two', 'three']) {
        ids.push((await createScript(user, { topic }, '?wait=10').expect(200)).body.id);
      }
      const page = await sut.http
        .get('/api/v1/tasks?limit=2&page=1&type=script&status=completed')
        .set(auth(user))
        .expect(200);
      expect(page.body).toMatchObject({ total: 3, page: 1, limit: 2 });
      expect(page.body.items.map((t: { id: string }) => t.id)).toEqual([ids[2], ids[1]]);
      const second = await sut.http.get('/api/v1/tasks?limit=2&page=2').set(auth(user)).expect(200);
      expect(second.body.items.map((t: { id: string }) => t.id)).toEqual([ids[0]]);
      const none = await sut.http.get('/api/v1/tasks?status=failed').set(auth(user)).expect(200);
      expect(none.body).toMatchObject({ items: [], total: 0 });
      await sut.http.get('/api/v1/tasks?limit=101').set(auth(user)).expect(400);
      await sut.http.get('/api/v1/tasks?status=bogus').set(auth(user)).expect(400);
    });

    it("answers 404 for someone else's task everywhere: read, events, cancel, retry", async () => {
      const task = (await createScript(alice, { topic: 'private' }).expect(202)).body;
      for (const [method, path] of [
        ['get', `/api/v1/tasks/${task.id}`],
        ['get', `/api/v1/tasks/${task.id}/events`],
        ['post', `/api/v1/tasks/${task.id}/cancel`],
        ['post', `/api/v1/tasks/${task.id}/retry`],
      ] as const) {
        const res = await sut.http[method](path).set(auth(bob)).expect(404);
        expect(res.body).toMatchObject(errorShape('NOT_FOUND', 404));
      }
      await sut.http.get('/api/v1/tasks/not-a-uuid').set(auth(alice)).expect(404);
    });
  });

  describe('live events', () => {
    it('streams progress then the terminal event, and ends the stream', async () => {
      const log = newSlowHandlerLog();
      sut.running.app.get(TaskHandlerRegistry).register('render', slowHandler(log, 4, 0.3));
      const { task } = await sut.running.app.get(TasksService).create({ ownerId: alice.id, type: 'render', input: {} });
      const stream = await openSse(`${sut.running.url}/api/v1/tasks/${task.id}/events`, alice.accessToken);
      expect(stream.status).toBe(200);
      expect(stream.contentType).toContain('text/event-stream');
      await stream.ended;
      const names = stream.events.map((e) => e.event);
      expect(names[names.length - 1]).toBe('completed');
      expect(names.filter((n) => n === 'progress').length).toBeGreaterThanOrEqual(3);
      const percents = stream.events
        .filter((e) => e.event === 'progress')
        .map((e) => (e.data as { progress: number }).progress);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
      expect(stream.events[names.length - 1].data).toEqual({ result: { steps: 4, attempt: 1 } });
      expect(stream.comments).toBeGreaterThanOrEqual(1);
    });

    it('frees the subscription when the client disconnects', async () => {
      const log = newSlowHandlerLog();
      sut.running.app.get(TaskHandlerRegistry).register('render', slowHandler(log, 1, 5));
      const { task } = await sut.running.app.get(TasksService).create({ ownerId: alice.id, type: 'render', input: {} });
      const bus = sut.running.app.get(TaskEventsBus);
      const before = bus.subscriptionCount;
      const stream = await openSse(`${sut.running.url}/api/v1/tasks/${task.id}/events`, alice.accessToken);
      await waitFor(() => stream.events.length > 0, 5000, 'first event');
      expect(bus.subscriptionCount).toBe(before + 1);
      stream.close();
      await waitFor(() => bus.subscriptionCount === before, 5000, 'subscription freed');
      await sut.http.post(`/api/v1/tasks/${task.id}/cancel`).set(auth(alice)).expect(200);
    });

    it('sends the terminal event at once for a finished task', async () => {
      const task = (await createScript(alice, { topic: 'already done' }, '?wait=10').expect(200)).body;
      const stream = await openSse(`${sut.running.url}/api/v1/tasks/${task.id}/events`, alice.accessToken);
      await stream.ended;
      expect(stream.events).toEqual([{ event: 'completed', data: { result: task.result } }]);
    });
  });

  describe('cancel and retry', () => {
    it('cancels a running task: its child processes stop within 2 s and the state stays cancelled', async () => {
      const log = newSlowHandlerLog();
      sut.running.app.get(TaskHandlerRegistry).register('render', slowHandler(log, 1, 30));
      const { task } = await sut.running.app.get(TasksService).create({ ownerId: alice.id, type: 'render', input: {} });
      await waitFor(() => log.childPids.length > 0, 10_000, 'handler started');
      const child = log.childPids[0];
      const started = Date.now();
      const res = await sut.http.post(`/api/v1/tasks/${task.id}/cancel`).set(auth(alice)).expect(200);
      expect(res.body.status).toBe('cancelled');
      await waitFor(() => !isAlive(child), 2000, 'child process gone');
      expect(Date.now() - started).toBeLessThan(2000);
      expect(log.completions).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = await sut.http.get(`/api/v1/tasks/${task.id}`).set(auth(alice)).expect(200);
      expect(after.body.status).toBe('cancelled');
      const again = await sut.http.post(`/api/v1/tasks/${task.id}/cancel`).set(auth(alice)).expect(409);
      expect(again.body).toMatchObject(errorShape('CONFLICT', 409));
    });

    it('fails at once on a permanent error, and retry runs it again', async () => {
      let failNext = true;
      sut.running.app.get(TaskHandlerRegistry).register('voice', () => {
        if (failNext) {
          failNext = false;
          return Promise.reject(TaskFailure.permanent('BAD_INPUT', 'The text cannot be spoken'));
        }
        return Promise.resolve({ ok: true });
      });
      const { task } = await sut.running.app.get(TasksService).create({ ownerId: alice.id, type: 'voice', input: {} });
      const failed = await waitUntilFinished(alice, task.id);
      expect(failed).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: { code: 'BAD_INPUT', message: 'The text cannot be spoken' },
      });
      const retried = await sut.http.post(`/api/v1/tasks/${task.id}/retry`).set(auth(alice)).expect(202);
      expect(retried.body).toMatchObject({ status: 'queued', progress: 0, error: null });
      expect(await waitUntilFinished(alice, task.id)).toMatchObject({ status: 'completed', result: { ok: true } });
      await sut.http.post(`/api/v1/tasks/${task.id}/retry`).set(auth(alice)).expect(409);
    });

    it('retries transient failures with back-off and ends failed when attempts run out', async () => {
      let calls = 0;
      sut.running.app.get(TaskHandlerRegistry).register('video', () => {
        calls++;
        return Promise.reject(TaskFailure.transient('AI_UNAVAILABLE', 'The provider is down'));
      });
      const { task } = await sut.running.app.get(TasksService).create({ ownerId: alice.id, type: 'video', input: {} });
      const failed = await waitUntilFinished(alice, task.id);
      expect(failed).toMatchObject({ status: 'failed', attempts: 3, error: { code: 'AI_UNAVAILABLE' } });
      expect(calls).toBe(3);
    });
  });

  describe('webhooks', () => {
    it('POSTs the signed result to callbackUrl when the task finishes', async () => {
      const receiver = await startWebhookReceiver();
      try {
        const task = (
          await createScript(alice, { topic: 'hooked', callbackUrl: `${receiver.origin}/hook` }).expect(202)
        ).body;
        await waitFor(() => receiver.received.length > 0, 10_000, 'webhook received');
        const [hook] = receiver.received;
        const signature = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(hook.body).digest('hex')}`;
        expect(hook.headers['x-reelsmith-signature']).toBe(signature);
        const payload = JSON.parse(hook.body);
        expect(payload).toEqual({
          taskId: task.id,
          type: 'script',
          status: 'completed',
          result: expect.any(Object),
          error: null,
        });
      } finally {
        await receiver.close();
      }
    });
  });

  it('exposes queue depth, task durations and failures in /metrics', async () => {
    const res = await sut.http.get('/metrics').expect(200);
    expect(res.text).toMatch(/reelsmith_queue_jobs\{state="waiting"\} \d+/);
    expect(res.text).toMatch(/reelsmith_task_duration_seconds_count\{type="script",stage="total"\} [1-9]/);
    expect(res.text).toMatch(/reelsmith_tasks_failed_total\{type="voice",code="BAD_INPUT"\} 1/);
  });
});
