import { inflateSync } from 'node:zlib';
import { AiProviderError } from 'src/providers/ai/ai-provider.errors';
import { ImageGenerator, ImageRequest } from 'src/providers/ai/image-generator.provider';
import {
  chooseImageSize,
  OpenAiImageGenerator,
  sniffImageFormat,
} from 'src/providers/ai/openai/openai-image-generator.provider';
import {
  errorReply,
  everythingPrinted,
  FAKE_OPENAI_KEY,
  IMAGES_PATH,
  imageReply,
  makePng,
  mockOpenAiSettings,
  OpenAiMockServer,
  rejectionOf,
  startOpenAiMockServer,
} from 'test/utils/openai-mock-server';

const FAST = { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };

const request = (overrides: Partial<ImageRequest> = {}): ImageRequest => ({
  prompt: 'A lighthouse at dawn, watercolour',
  width: 1080,
  height: 1920,
  ...overrides,
});

async function providerFailure(promise: Promise<unknown>): Promise<AiProviderError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(AiProviderError);
  expect(everythingPrinted(error)).not.toContain(FAKE_OPENAI_KEY);
  return error as AiProviderError;
}

/** Width and height from IHDR, after checking the image data inflates: a structurally valid PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  const idat = bytes.indexOf('IDAT', 0, 'latin1');
  expect(inflateSync(bytes.subarray(idat + 4, idat + 4 + bytes.readUInt32BE(idat - 4))).length).toBeGreaterThan(0);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe(OpenAiImageGenerator.name, () => {
  let server: OpenAiMockServer;
  let sut: OpenAiImageGenerator;

  beforeEach(async () => {
    server = await startOpenAiMockServer();
    sut = new OpenAiImageGenerator(mockOpenAiSettings(server), { timeoutMs: 1_000, retry: FAST });
  });

  afterEach(() => server.close());

  it('is an ImageGenerator named "openai"', () => {
    expect(sut).toBeInstanceOf(ImageGenerator);
    expect(sut.name).toBe('openai');
  });

  it('decodes the base64 reply and recognises a PNG from its bytes', async () => {
    const result = await sut.generate(request());

    expect(result.format).toBe('png');
    expect(result.bytes).toEqual(makePng());
    expect(pngSize(result.bytes)).toEqual({ width: 4, height: 4 });
    expect(result).not.toHaveProperty('revisedPrompt');
  });

  it('asks a GPT image model for the closest size and no response_format', async () => {
    await sut.generate(request());

    const [recorded] = server.requestsTo(IMAGES_PATH);
    expect(recorded.headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
    expect(recorded.body).toEqual({
      model: 'gpt-image-1',
      prompt: 'A lighthouse at dawn, watercolour',
      n: 1,
      size: '1024x1536',
    });
  });

  it('asks DALL·E (and unknown compatible models) for base64 explicitly, and passes the revised prompt on', async () => {
    sut = new OpenAiImageGenerator(mockOpenAiSettings(server, { imageModel: 'dall-e-3' }), { retry: FAST });
    server.enqueue(IMAGES_PATH, imageReply(makePng(), { revised_prompt: 'A lighthouse at sunrise.' }));

    const result = await sut.generate(request({ width: 1920, height: 1080 }));

    expect(server.requestsTo(IMAGES_PATH)[0].body).toMatchObject({
      model: 'dall-e-3',
      size: '1792x1024',
      response_format: 'b64_json',
    });
    expect(result.revisedPrompt).toBe('A lighthouse at sunrise.');
  });

  it('refuses a URL-only reply without fetching it (SSRF)', async () => {
    const url = `${server.baseUrl}/ssrf-probe.png`;
    server.enqueue(IMAGES_PATH, { body: { created: 1, data: [{ url }] } });

    const error = await providerFailure(sut.generate(request()));

    expect(error).toMatchObject({ code: 'AI_BAD_OUTPUT', provider: 'openai' });
    expect(error.message).toContain('URL instead of inline base64');
    expect(error.message).not.toContain(url);
    expect(server.requests.map((recorded) => recorded.path)).toEqual([IMAGES_PATH]);
  });

  it.each<[string, unknown]>([
    ['no data', { created: 1, data: [] }],
    ['bytes that are no image', { created: 1, data: [{ b64_json: Buffer.from('hello, world').toString('base64') }] }],
    ['invalid base64', { created: 1, data: [{ b64_json: '!!!not base64!!!' }] }],
  ])('rejects a reply with %s as AI_BAD_OUTPUT', async (_name, body) => {
    server.enqueue(IMAGES_PATH, { body });
    expect(await providerFailure(sut.generate(request()))).toMatchObject({ code: 'AI_BAD_OUTPUT' });
  });

  it('turns a moderation block into a non-retryable AI_REFUSED', async () => {
    server.enqueue(
      IMAGES_PATH,
      errorReply(400, 'Your request was rejected by the safety system.', {
        code: 'moderation_blocked',
        type: 'image_generation_user_error',
      }),
    );
    const error = await providerFailure(sut.generate(request()));
    expect(error).toMatchObject({ code: 'AI_REFUSED', retryable: false });
    expect(server.calls(IMAGES_PATH)).toBe(1);
  });

  it('honours retry-after-ms on a 429, then succeeds', async () => {
    server.enqueue(IMAGES_PATH, errorReply(429, 'Rate limit', { headers: { 'retry-after-ms': '200' } }));

    await expect(sut.generate(request())).resolves.toMatchObject({ format: 'png' });

    const [first, second] = server.requestsTo(IMAGES_PATH);
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(190);
    expect(second.receivedAt - first.receivedAt).toBeLessThan(700);
  });

  it('times out a hung request as AI_UNAVAILABLE', async () => {
    sut = new OpenAiImageGenerator(mockOpenAiSettings(server), { timeoutMs: 200, retry: { ...FAST, maxRetries: 0 } });
    server.enqueue(IMAGES_PATH, { hang: true });
    const error = await providerFailure(sut.generate(request()));
    expect(error).toMatchObject({ code: 'AI_UNAVAILABLE', retryable: true });
  });

  it('stops a hung request promptly on abort', async () => {
    sut = new OpenAiImageGenerator(mockOpenAiSettings(server), { timeoutMs: 10_000, retry: FAST });
    server.enqueue(IMAGES_PATH, { hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);

    const started = Date.now();
    await expect(sut.generate(request(), controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(5_000); // bounded, not hung (loaded CI machines are slow)
  });

  it.each<[string, Partial<ImageRequest>]>([
    ['a blank prompt', { prompt: '  ' }],
    ['a zero width', { width: 0 }],
    ['a non-finite height', { height: Number.NaN }],
  ])('refuses %s without calling the API', async (_name, overrides) => {
    expect(await providerFailure(sut.generate(request(overrides)))).toMatchObject({ code: 'AI_REFUSED' });
    expect(server.calls()).toBe(0);
  });
});

describe(chooseImageSize.name, () => {
  it.each([
    ['gpt-image-1', 1080, 1920, '1024x1536'],
    ['gpt-image-1', 1920, 1080, '1536x1024'],
    ['gpt-image-1', 1080, 1080, '1024x1024'],
    ['gpt-image-1', 1080, 1350, '1024x1536'],
    ['gpt-image-1', 1080, 1200, '1024x1024'],
    ['gpt-image-1', 1200, 1600, '1024x1536'],
    ['dall-e-3', 1080, 1920, '1024x1792'],
    ['dall-e-3', 1920, 1080, '1792x1024'],
    ['dall-e-2', 1080, 1920, '1024x1024'],
    ['some-local-model', 1080, 1920, '1024x1536'],
  ])('%s for %ix%i → %s', (model, width, height, size) => {
    expect(chooseImageSize(model, width, height)).toBe(size);
  });
});

describe(sniffImageFormat.name, () => {
  it('recognises PNG, JPEG and WebP by their magic bytes', () => {
    expect(sniffImageFormat(makePng())).toBe('png');
    expect(sniffImageFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('jpeg');
    expect(sniffImageFormat(Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ', 'latin1'))).toBe('webp');
    expect(sniffImageFormat(Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEfmt ', 'latin1'))).toBeUndefined();
    expect(sniffImageFormat(Buffer.from('GIF89a'))).toBeUndefined();
    expect(sniffImageFormat(Buffer.alloc(0))).toBeUndefined();
  });
});
