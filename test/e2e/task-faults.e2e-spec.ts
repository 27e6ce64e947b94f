import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { TaskEntity } from 'src/modules/tasks/entities/task.entity';
import { TaskHandlerRegistry } from 'src/modules/tasks/task-handler.registry';
import { TasksProcessor } from 'src/modules/tasks/tasks.processor';
import { TasksRepository } from 'src/modules/tasks/tasks.repository';
import { TasksService } from 'src/modules/tasks/tasks.service';
import { ensureBuilt } from 'test/utils/built-app';
import { spawnTestRedis, TestRedis } from 'test/utils/redis-server';
import { newSlowHandlerLog, slowHandler } from 'test/utils/slow-handler';
import { errorShape, registerUser, startTestApp, TestApp } from 'test/utils/test-app';
import { waitFor } from 'test/utils/wait';
import { readFixtureLog, startWorkerProcess, WorkerProcess } from 'test/utils/worker-process';

/** Fast failure detection for tests; production defaults are a 20 s lease and 5 s rounds. */
const FAST = { TASK_LEASE_MS: '3000', TASK_RECONCILE_INTERVAL_MS: '500', TASK_BACKOFF_MS: '100' };

const terminal = (task: TaskEntity | null) => !!task && ['completed', 'failed', 'cancelled'].includes(task.status);

/** Figures the closing note asks for; printed once at the end. */
const figures: Record<string, number> = {};
afterAll(() => console.log(`fault-test figures: ${JSON.stringify(figures)}`));

describe('Task fault tolerance (e2e)', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  describe('a worker process killed with SIGKILL mid-task', () => {
    let api: TestApp;
    let logDir: string;
    const workers: WorkerProcess[] = [];

    beforeAll(async () => {
      api = await startTestApp({ ...FAST }, 'api');
      logDir = mkdtempSync(join(tmpdir(), 'reelsmith-fixture-'));
    });

    // Each test starts its own workers; none may linger and take the next test's task.
    afterEach(async () => {
      for (const worker of workers.splice(0)) {
        worker.child.kill('SIGKILL');
        await worker.exit;
      }
    });

    afterAll(async () => {
      await api.close();
      rmSync(logDir, { recursive: true, force: true });
    });

    it('is taken up by another worker and completes exactly once', async () => {
      const log = join(logDir, 'sigkill.log');
      const env = { ...api.env, WORKER_CONCURRENCY: '1', FIXTURE_STEPS: '8', FIXTURE_STEP_SECONDS: '0.4' };
      const first = await startWorkerProcess(env, log);
      workers.push(first);
      const user = await registerUser(api.http);
      const { task } = await api.running.app.get(TasksService).create({ ownerId: user.id, type: 'render', input: {} });
      const tasks = api.running.app.get(TasksRepository);
      await waitFor(async () => ((await tasks.findById(task.id))?.progress ?? 0) >= 20, 15_000, 'first run under way');

      first.child.kill('SIGKILL');
      const killedAt = Date.now();
      await first.exit;
      workers.push(await startWorkerProcess(env, log));
      await waitFor(async () => terminal(await tasks.findById(task.id)), 30_000, 'task finished');
      figures.sigkillToCompletionMs = Date.now() - killedAt;

      const finished = (await tasks.findById(task.id))!;
      expect(finished).toMatchObject({ status: 'completed', attempts: 2, progress: 100 });
      const lines = readFixtureLog(log);
      expect(lines.filter((line) => line.startsWith(`run ${task.id}`))).toHaveLength(2);
      expect(lines.filter((line) => line.startsWith(`done ${task.id}`))).toHaveLength(1);
      expect(finished.result).toEqual({ worker: workers[1].child.pid, attempt: 2 });
    }, 90_000);

    it('on SIGTERM finishes a short running task before exiting 0', async () => {
      const log = join(logDir, 'sigterm-finish.log');
      const worker = await startWorkerProcess(
        { ...api.env, SHUTDOWN_TIMEOUT_MS: '8000', FIXTURE_STEPS: '4', FIXTURE_STEP_SECONDS: '0.4' },
        log,
      );
      workers.push(worker);
      const user = await registerUser(api.http);
      const { task } = await api.running.app.get(TasksService).create({ ownerId: user.id, type: 'render', input: {} });
      await waitFor(() => readFixtureLog(log).some((l) => l.startsWith(`run ${task.id}`)), 10_000, 'task started');
      worker.child.kill('SIGTERM');
      expect(await worker.exit).toEqual({ code: 0, signal: null });
      expect((await api.running.app.get(TasksRepository).findById(task.id))!.status).toBe('completed');
    }, 60_000);

    it('on SIGTERM releases a long task within the bound, exits 0, and another worker completes it', async () => {
      const log = join(logDir, 'sigterm-release.log');
      const env = { ...api.env, SHUTDOWN_TIMEOUT_MS: '4000', FIXTURE_STEPS: '20', FIXTURE_STEP_SECONDS: '0.5' };
      const worker = await startWorkerProcess(env, log);
      workers.push(worker);
      const user = await registerUser(api.http);
      const { task } = await api.running.app.get(TasksService).create({ ownerId: user.id, type: 'render', input: {} });
      await waitFor(() => readFixtureLog(log).some((l) => l.startsWith(`run ${task.id}`)), 10_000, 'task started');
      const signalledAt = Date.now();
      worker.child.kill('SIGTERM');
      expect(await worker.exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalledAt).toBeLessThan(4500);
      const tasks = api.running.app.get(TasksRepository);
      expect((await tasks.findById(task.id))!.status).toBe('queued');

      workers.push(await startWorkerProcess({ ...env, FIXTURE_STEPS: '2' }, log));
      await waitFor(async () => terminal(await tasks.findById(task.id)), 20_000, 'task finished elsewhere');
      expect((await tasks.findById(task.id))!.status).toBe('completed');
      expect(readFixtureLog(log).filter((l) => l.startsWith(`done ${task.id}`))).toHaveLength(1);
    }, 60_000);
  });

  describe('Redis trouble', () => {
    let redis: TestRedis;
    let redisDir: string;
    let sut: TestApp;
    const log = newSlowHandlerLog();

    beforeAll(async () => {
      redisDir = mkdtempSync(join(tmpdir(), 'reelsmith-restart-redis-'));
      redis = await spawnTestRedis({ dir: redisDir });
      sut = await startTestApp({ ...FAST, REDIS_URL: redis.url, WORKER_CONCURRENCY: '2' });
      sut.running.app.get(TaskHandlerRegistry).register('render', slowHandler(log, 6, 0.25));
    });

    afterAll(async () => {
      await sut.close();
      await redis.stop();
      rmSync(redisDir, { recursive: true, force: true });
    });

    const createRenders = async (ownerId: string, count: number) => {
      const service = sut.running.app.get(TasksService);
      const created: string[] = [];
      for (let i = 0; i < count; i++) {
        created.push((await service.create({ ownerId, type: 'render', input: { i } })).task.id);
      }
      return created;
    };

    const allFinished = async (ids: string[]) => {
      const tasks = sut.running.app.get(TasksRepository);
      const rows = await Promise.all(ids.map((id) => tasks.findById(id)));
      return rows.every(terminal);
    };

    it('recovers after a Redis restart while tasks run, each completing once', async () => {
      const user = await registerUser(sut.http);
      const ids = await createRenders(user.id, 4);
      await waitFor(() => log.runs.length > 0, 10_000, 'first task running');
      await redis.kill();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      redis = await spawnTestRedis({ port: redis.port, dir: redisDir });
      const restartedAt = Date.now();
      await waitFor(() => allFinished(ids), 60_000, 'all tasks finished');
      figures.redisRestartRecoveryMs = Date.now() - restartedAt;
      const rows = await Promise.all(ids.map((id) => sut.running.app.get(TasksRepository).findById(id)));
      expect(rows.map((row) => row!.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
      for (const id of ids) {
        expect(log.completions.filter((done) => done === id)).toHaveLength(1);
      }
      await sut.http.get('/health/ready').expect(200);
    }, 90_000);

    it('answers a POST with 503 within 2 s while Redis is down, and runs the task once Redis is back', async () => {
      const user = await registerUser(sut.http);
      await redis.kill();
      const started = Date.now();
      const res = await sut.http
        .post('/api/v1/scripts')
        .set('Authorization', `Bearer ${user.accessToken}`)
        .set('Idempotency-Key', 'while-redis-down')
        .send({ topic: 'Written while Redis was away' });
      figures.postWhileRedisDownMs = Date.now() - started;
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject(errorShape('SERVICE_UNAVAILABLE', 503));
      expect(figures.postWhileRedisDownMs).toBeLessThan(2000);
      const taskId = String(res.headers.location).split('/').pop()!;

      redis = await spawnTestRedis({ port: redis.port, dir: redisDir });
      const tasks = sut.running.app.get(TasksRepository);
      await waitFor(async () => terminal(await tasks.findById(taskId)), 30_000, 'saved task ran');
      expect((await tasks.findById(taskId))!.status).toBe('completed');
      const replay = await sut.http
        .post('/api/v1/scripts')
        .set('Authorization', `Bearer ${user.accessToken}`)
        .set('Idempotency-Key', 'while-redis-down')
        .send({ topic: 'Written while Redis was away' })
        .expect(202);
      expect(replay.body.taskId).toBe(taskId);
    }, 60_000);

    it('restores queued and active tasks after FLUSHALL, each completing once', async () => {
      const user = await registerUser(sut.http);
      const ids = await createRenders(user.id, 5);
      await waitFor(() => ids.some((id) => log.runs.includes(id)), 10_000, 'a task running');
      // As an operator would: from a separate connection.
      const operator = new Redis(redis.url);
      await operator.flushall();
      operator.disconnect();
      await waitFor(() => allFinished(ids), 60_000, 'all tasks finished after FLUSHALL');
      const rows = await Promise.all(ids.map((id) => sut.running.app.get(TasksRepository).findById(id)));
      expect(rows.every((row) => row!.status === 'completed')).toBe(true);
      for (const id of ids) {
        expect(log.completions.filter((done) => done === id)).toHaveLength(1);
      }
    }, 90_000);

    it('notices a worker that stopped consuming and replaces its consumer', async () => {
      const processor = sut.running.app.get(TasksProcessor);
      await processor.currentConsumer!.pause(true);
      const user = await registerUser(sut.http);
      const [id] = await createRenders(user.id, 1);
      await waitFor(() => allFinished([id]), 30_000, 'task finished after recovery');
      expect(processor.recoveryCount).toBeGreaterThanOrEqual(1);
      expect((await sut.running.app.get(TasksRepository).findById(id))!.status).toBe('completed');
    }, 60_000);
  });

  describe('callback URLs', () => {
    let sut: TestApp;

    beforeAll(async () => {
      sut = await startTestApp();
    });

    afterAll(() => sut.close());

    it('refuses private and loopback callback URLs with 400 unless allowed', async () => {
      const user = await registerUser(sut.http);
      for (const callbackUrl of ['http://127.0.0.1:9/hook', 'http://169.254.169.254/latest', 'http://10.0.0.8/x']) {
        const res = await sut.http
          .post('/api/v1/scripts')
          .set('Authorization', `Bearer ${user.accessToken}`)
          .send({ topic: 'x', callbackUrl })
          .expect(400);
        expect(res.body.details).toEqual([
          { field: 'callbackUrl', message: expect.stringMatching(/private|loopback/) },
        ]);
      }
      const list = await sut.http.get('/api/v1/tasks').set('Authorization', `Bearer ${user.accessToken}`).expect(200);
      expect(list.body.total).toBe(0);
    });
  });
});
