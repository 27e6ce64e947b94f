import { ConfigValidationError, loadAppConfig } from 'src/config/app.config';

describe(loadAppConfig.name, () => {
  it('has a working default for every setting on one machine', () => {
    const sut = loadAppConfig({});
    expect(sut).toMatchObject({
      port: 3000,
      db: { type: 'sqlite', path: expect.stringMatching(/data\/reelsmith\.db$/) },
      redis: { url: undefined, queuePrefix: 'reelsmith', cacheNamespace: 'reelsmith:cache' },
      storage: { driver: 'local' },
      ai: { provider: 'offline' },
      uploads: { maxBytes: 2147483648 },
      worker: { concurrency: 2 },
      webhooks: { allowPrivate: false },
      media: { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' },
      corsOrigins: true,
    });
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT must be an integer number \(got "abc"\)$/],
    [{ DB_TYPE: 'oracle' }, /DB_TYPE must be one of the following values: sqlite, mysql \(got "oracle"\)/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL/],
    [{ WEBHOOK_ALLOW_PRIVATE: 'maybe' }, /WEBHOOK_ALLOW_PRIVATE must be a boolean value/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must be longer than or equal to 32 characters/],
    [
      { DB_TYPE: 'mysql' },
      /DB_HOST is required when DB_TYPE=mysql.*JWT_SECRET is required.*WEBHOOK_SECRET is required/,
    ],
    [{ AI_PROVIDER: 'openai' }, /OPENAI_API_KEY is required when AI_PROVIDER=openai/],
    [{ ADMIN_EMAIL: 'a@b.co' }, /ADMIN_EMAIL and ADMIN_PASSWORD must be set together/],
    [{ STORAGE_DRIVER: 's3' }, /S3_BUCKET is required/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadAppConfig(env)).toThrow(ConfigValidationError);
    expect(() => loadAppConfig(env)).toThrow(message);
  });

  it('names every bad variable at once, on one line', () => {
    try {
      loadAppConfig({ PORT: 'abc', DB_TYPE: 'oracle' });
      throw new Error('expected a ConfigValidationError');
    } catch (error) {
      expect((error as ConfigValidationError).problems).toHaveLength(2);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('reads booleans as words, not as truthy strings', () => {
    expect(loadAppConfig({ WEBHOOK_ALLOW_PRIVATE: 'false' }).webhooks.allowPrivate).toBe(false);
    expect(loadAppConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' }).webhooks.allowPrivate).toBe(true);
  });

  it('switches to MySQL, the OpenAI provider and explicit CORS origins when configured', () => {
    const sut = loadAppConfig({
      DB_TYPE: 'mysql',
      DB_HOST: 'db',
      DB_USER: 'u',
      DB_NAME: 'reelsmith',
      DB_POOL_SIZE: '7',
      JWT_SECRET: 'x'.repeat(32),
      WEBHOOK_SECRET: 'w'.repeat(32),
      OPENAI_API_KEY: 'sk-test',
      CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(sut.db).toEqual({
      type: 'mysql',
      host: 'db',
      port: 3306,
      user: 'u',
      password: '',
      name: 'reelsmith',
      poolSize: 7,
    });
    expect(sut.ai.provider).toBe('openai');
    expect(sut.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('ignores variables it does not know', () => {
    expect(() => loadAppConfig({ HOME: '/root', SOMETHING_ELSE: 'x' })).not.toThrow();
  });
});
