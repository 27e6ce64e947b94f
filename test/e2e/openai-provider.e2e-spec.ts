import {
  CHAT_PATH,
  chatReply,
  errorReply,
  FAKE_OPENAI_KEY,
  OpenAiMockServer,
  scriptJson,
  SPEECH_PATH,
  startOpenAiMockServer,
} from 'test/utils/openai-mock-server';
import { registerUser, RegisteredUser, startTestApp, TestApp } from 'test/utils/test-app';
import { waitFor } from 'test/utils/wait';

/**
 * The whole stack with AI_PROVIDER=openai against a local server speaking OpenAI's wire format,
 * through the real `openai` SDK: each case asserts the task's final state and error code.
 */
describe('OpenAI-compatible provider (e2e)', () => {
  let mock: OpenAiMockServer;
  let sut: TestApp;
  let user: RegisteredUser;
  const auth = () => ({ Authorization: `Bearer ${user.accessToken}` });

  beforeAll(async () => {
    mock = await startOpenAiMockServer();
    sut = await startTestApp({
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      OPENAI_BASE_URL: mock.baseUrl,
      OPENAI_MODEL: 'mock-model',
      OPENAI_TIMEOUT_MS: '1000',
      TASK_MAX_ATTEMPTS: '1',
    });
    user = await registerUser(sut.http);
  });

  afterAll(async () => {
    await sut.close();
    await mock.close();
  });

  const script = async (topic: string) => {
    const created = await sut.http.post('/api/v1/scripts').set(auth()).send({ topic, sceneCount: 3 }).expect(202);
    let task: Record<string, unknown> = {};
    await waitFor(
      async () => {
        task = (await sut.http.get(`/api/v1/tasks/${created.body.id}`).set(auth()).expect(200)).body;
        return ['completed', 'failed'].includes(task.status as string);
      },
      20_000,
      'script task finished',
    );
    return task;
  };

  it('writes a script by chat completion with a JSON schema, records usage, and caches it', async () => {
    mock.enqueue(CHAT_PATH, chatReply(scriptJson({ sceneCount: 3 })));
    const before = mock.calls(CHAT_PATH);
    const task = await script('Why the sky is blue');
    expect(task).toMatchObject({ status: 'completed', error: null });
    expect(task.result).toMatchObject({
      provider: 'openai',
      model: 'mock-model',
      cached: false,
      usage: { promptTokens: 100, completionTokens: 50, totalTokens: 150 },
      script: { language: 'en', scenes: expect.any(Array) },
    });
    const request = mock.requestsTo(CHAT_PATH).at(-1)!;
    expect(request.headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
    expect((request.body as { response_format: { type: string } }).response_format.type).toBe('json_schema');

    const again = await script('Why the sky is blue');
    expect(again).toMatchObject({ status: 'completed', result: { cached: true } });
    expect(mock.calls(CHAT_PATH) - before).toBe(1);
  });

  it('waits as Retry-After says on 429, then succeeds', async () => {
    mock.enqueue(CHAT_PATH, errorReply(429, 'slow down', { headers: { 'retry-after': '1' } }), chatReply(scriptJson()));
    const task = await script('Rate limits in practice');
    expect(task.status).toBe('completed');
    const [limited, ok] = mock.requestsTo(CHAT_PATH).slice(-2);
    expect(ok.receivedAt - limited.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it('fails with AI_UNAVAILABLE when 500s outlast the retries', async () => {
    const before = mock.calls(CHAT_PATH);
    mock.enqueue(CHAT_PATH, ...Array.from({ length: 4 }, () => errorReply(500, 'boom')));
    const task = await script('Server errors');
    expect(task).toMatchObject({ status: 'failed', error: { code: 'AI_UNAVAILABLE' } });
    expect(mock.calls(CHAT_PATH) - before).toBe(4);
  });

  it('fails with AI_UNAVAILABLE when a response hangs past the timeout', async () => {
    mock.enqueue(CHAT_PATH, ...Array.from({ length: 4 }, () => ({ hang: true })));
    const task = await script('A hung response');
    expect(task).toMatchObject({ status: 'failed', error: { code: 'AI_UNAVAILABLE' } });
  });

  it('repairs malformed output once, then fails with AI_BAD_OUTPUT', async () => {
    mock.enqueue(CHAT_PATH, chatReply('{"title": "half'), chatReply('still not json'));
    const task = await script('Malformed output');
    expect(task).toMatchObject({ status: 'failed', error: { code: 'AI_BAD_OUTPUT' } });
  });

  it('never shows the API key in tasks, logs-bound errors or bull-board data', async () => {
    mock.enqueue(
      CHAT_PATH,
      errorReply(401, `Incorrect API key provided: ${FAKE_OPENAI_KEY}`, { code: 'invalid_api_key' }),
    );
    const task = await script('Auth failure');
    expect(task).toMatchObject({ status: 'failed', error: { code: 'AI_AUTH' } });
    expect(JSON.stringify(task)).not.toContain(FAKE_OPENAI_KEY);
    const list = await sut.http.get('/api/v1/tasks?limit=100').set(auth()).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(FAKE_OPENAI_KEY);
  });

  it('speaks with the audio speech endpoint and lists OpenAI voices', async () => {
    const voices = await sut.http.get('/api/v1/voices').set(auth()).expect(200);
    expect(voices.body.map((v: { id: string }) => v.id)).toContain('openai:alloy');
    const before = mock.calls(SPEECH_PATH);
    const res = await sut.http
      .post('/api/v1/voice/synthesize?wait=20')
      .set(auth())
      .send({ text: 'One sentence here. And another one.', voiceId: 'openai:nova' })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'completed', result: { durationMs: expect.any(Number) } });
    expect(mock.calls(SPEECH_PATH) - before).toBe(2);
    await sut.http
      .post('/api/v1/voice/synthesize?wait=20')
      .set(auth())
      .send({ text: 'One sentence here. And another one.', voiceId: 'openai:nova' })
      .expect(200);
    expect(mock.calls(SPEECH_PATH) - before).toBe(2);
  });
});
