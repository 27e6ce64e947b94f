import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AiProviderError } from 'src/providers/ai/ai-provider.errors';
import {
  OPENAI_SPEECH_MAX_INPUT_CHARS,
  OpenAiSpeechSynthesizer,
  splitForSpeech,
} from 'src/providers/ai/openai/openai-speech-synthesizer.provider';
import { SpeechRequest, SpeechSynthesizer } from 'src/providers/ai/speech-synthesizer.provider';
import {
  errorReply,
  everythingPrinted,
  FAKE_OPENAI_KEY,
  makeWav,
  mockOpenAiSettings,
  OpenAiMockServer,
  rejectionOf,
  SPEECH_PATH,
  startOpenAiMockServer,
} from 'test/utils/openai-mock-server';

const FAST = { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };

interface ParsedWav {
  riffSize: number;
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataSize: number;
  data: Buffer;
}

/** A strict reader: the sizes in the header must match the file exactly. */
function parseWav(file: Buffer): ParsedWav {
  expect(file.toString('latin1', 0, 4)).toBe('RIFF');
  expect(file.toString('latin1', 8, 12)).toBe('WAVE');
  expect(file.toString('latin1', 12, 16)).toBe('fmt ');
  const fmtSize = file.readUInt32LE(16);
  const dataHeader = 20 + fmtSize;
  expect(file.toString('latin1', dataHeader, dataHeader + 4)).toBe('data');
  const dataSize = file.readUInt32LE(dataHeader + 4);
  const riffSize = file.readUInt32LE(4);
  expect(riffSize).toBe(file.length - 8);
  expect(dataHeader + 8 + dataSize).toBe(file.length);
  return {
    riffSize,
    audioFormat: file.readUInt16LE(20),
    channels: file.readUInt16LE(22),
    sampleRate: file.readUInt32LE(24),
    bitsPerSample: file.readUInt16LE(34),
    dataSize,
    data: file.subarray(dataHeader + 8),
  };
}

const request = (overrides: Partial<SpeechRequest> = {}): SpeechRequest => ({
  text: 'Hello from the mock server.',
  voiceId: 'openai:nova',
  speed: 1.25,
  ...overrides,
});

async function providerFailure(promise: Promise<unknown>): Promise<AiProviderError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(AiProviderError);
  expect(everythingPrinted(error)).not.toContain(FAKE_OPENAI_KEY);
  return error as AiProviderError;
}

describe(OpenAiSpeechSynthesizer.name, () => {
  let server: OpenAiMockServer;
  let dir: string;
  let outPath: string;
  let sut: OpenAiSpeechSynthesizer;

  beforeEach(async () => {
    server = await startOpenAiMockServer();
    dir = await mkdtemp(join(tmpdir(), 'reelsmith-openai-speech-'));
    outPath = join(dir, 'voice', 'scene-0.wav');
    sut = new OpenAiSpeechSynthesizer(mockOpenAiSettings(server), { timeoutMs: 1_000, retry: FAST });
  });

  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const filesLeft = async () => (await readdir(join(dir, 'voice')).catch(() => [] as string[])).sort();

  describe('voices', () => {
    it('is a SpeechSynthesizer named "openai" listing the built-in multilingual voices', () => {
      expect(sut).toBeInstanceOf(SpeechSynthesizer);
      expect(sut.name).toBe('openai');
      const voices = sut.listVoices();
      expect(voices.map((voice) => voice.id)).toEqual(
        ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse'].map(
          (name) => `openai:${name}`,
        ),
      );
      expect(voices[0]).toEqual({ id: 'openai:alloy', provider: 'openai', language: 'multi', name: 'Alloy' });
    });

    it('defaults to alloy for any well-formed language tag', () => {
      expect(sut.defaultVoiceFor('en')).toBe('openai:alloy');
      expect(sut.defaultVoiceFor('zh-CN')).toBe('openai:alloy');
      expect(sut.defaultVoiceFor('not a tag')).toBeUndefined();
    });
  });

  describe('success', () => {
    it('writes the reply as a valid WAV file and reports the characters', async () => {
      const result = await sut.synthesize(request(), outPath);

      expect(result).toEqual({ format: 'wav', characters: 'Hello from the mock server.'.length });
      const wav = parseWav(await readFile(outPath));
      expect(wav).toMatchObject({ audioFormat: 1, channels: 1, sampleRate: 24_000, bitsPerSample: 16 });
      expect(wav.data).toEqual(makeWav().subarray(44));
      expect(await filesLeft()).toEqual(['scene-0.wav']);
    });

    it('sends the model, the voice name, the text, the speed and asks for WAV', async () => {
      await sut.synthesize(request(), outPath);

      const [recorded] = server.requestsTo(SPEECH_PATH);
      expect(recorded.method).toBe('POST');
      expect(recorded.headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
      expect(recorded.body).toEqual({
        model: 'tts-mock',
        voice: 'nova',
        input: 'Hello from the mock server.',
        response_format: 'wav',
        speed: 1.25,
      });
    });

    it('writes real sizes when the reply streams a header with placeholder sizes', async () => {
      server.enqueue(SPEECH_PATH, { headers: { 'Content-Type': 'audio/wav' }, body: makeWav({ streaming: true }) });
      await sut.synthesize(request(), outPath);
      expect(parseWav(await readFile(outPath)).dataSize).toBe(makeWav().length - 44);
    });

    it('speaks text over the endpoint limit in several requests and joins them into one file', async () => {
      const sentence = 'This sentence is here to make the narration long enough to split. ';
      const text = sentence.repeat(Math.ceil((OPENAI_SPEECH_MAX_INPUT_CHARS * 2.2) / sentence.length)).trim();
      server.enqueue(
        SPEECH_PATH,
        { body: makeWav({ seconds: 0.1 }) },
        { body: makeWav({ seconds: 0.2, streaming: true }) },
        { body: makeWav({ seconds: 0.3 }) },
      );

      const result = await sut.synthesize(request({ text }), outPath);

      expect(result.characters).toBe(text.length);
      const inputs = server.requestsTo(SPEECH_PATH).map((recorded) => (recorded.body as { input: string }).input);
      expect(inputs).toHaveLength(3);
      expect(inputs.join(' ')).toBe(text);
      for (const input of inputs) {
        expect(input.length).toBeLessThanOrEqual(OPENAI_SPEECH_MAX_INPUT_CHARS);
      }
      const wav = parseWav(await readFile(outPath));
      expect(wav.data).toEqual(Buffer.concat([0.1, 0.2, 0.3].map((seconds) => makeWav({ seconds }).subarray(44))));
    });

    it('retries a 500 and keeps only the successful reply', async () => {
      server.enqueue(SPEECH_PATH, errorReply(500, 'boom'));
      await sut.synthesize(request(), outPath);
      expect(server.calls(SPEECH_PATH)).toBe(2);
      expect(parseWav(await readFile(outPath)).dataSize).toBe(makeWav().length - 44);
    });

    it('rolls back a reply that died mid-stream before retrying it', async () => {
      sut = new OpenAiSpeechSynthesizer(mockOpenAiSettings(server), { timeoutMs: 300, retry: FAST });
      server.enqueue(SPEECH_PATH, { body: makeWav({ seconds: 1 }), hangAfterBytes: 44 + 2_000 });

      await sut.synthesize(request(), outPath);

      expect(server.calls(SPEECH_PATH)).toBe(2);
      expect(parseWav(await readFile(outPath)).data).toEqual(makeWav().subarray(44));
      expect(await filesLeft()).toEqual(['scene-0.wav']);
    });
  });

  describe('failures', () => {
    it('times out a reply that stalls mid-body as AI_UNAVAILABLE, leaving no file', async () => {
      sut = new OpenAiSpeechSynthesizer(mockOpenAiSettings(server), {
        timeoutMs: 300,
        retry: { ...FAST, maxRetries: 0 },
      });
      server.setDefault(SPEECH_PATH, { body: makeWav({ seconds: 1 }), hangAfterBytes: 1_000 });

      const error = await providerFailure(sut.synthesize(request(), outPath));

      expect(error).toMatchObject({ code: 'AI_UNAVAILABLE', retryable: true });
      expect(await filesLeft()).toEqual([]);
    });

    it('stops a hung request promptly on abort, leaving no file', async () => {
      sut = new OpenAiSpeechSynthesizer(mockOpenAiSettings(server), { timeoutMs: 10_000, retry: FAST });
      server.setDefault(SPEECH_PATH, { body: makeWav({ seconds: 1 }), hangAfterBytes: 1_000 });
      const controller = new AbortController();
      const reason = new Error('cancelled');
      setTimeout(() => controller.abort(reason), 100);

      const started = Date.now();
      await expect(sut.synthesize(request(), outPath, controller.signal)).rejects.toBe(reason);

      expect(Date.now() - started).toBeLessThan(5_000); // bounded, not hung (loaded CI machines are slow)
      expect(await filesLeft()).toEqual([]);
    });

    it('rejects a reply that is not WAV as AI_BAD_OUTPUT, leaving no file', async () => {
      server.enqueue(SPEECH_PATH, {
        headers: { 'Content-Type': 'audio/mpeg' },
        body: Buffer.from('ID3\u0003mp3 data'),
      });
      const error = await providerFailure(sut.synthesize(request(), outPath));
      expect(error).toMatchObject({ code: 'AI_BAD_OUTPUT', provider: 'openai' });
      expect(server.calls(SPEECH_PATH)).toBe(1);
      expect(await filesLeft()).toEqual([]);
    });

    it('rejects a WAV without samples as AI_BAD_OUTPUT', async () => {
      server.enqueue(SPEECH_PATH, { body: makeWav({ seconds: 0 }) });
      expect(await providerFailure(sut.synthesize(request(), outPath))).toMatchObject({ code: 'AI_BAD_OUTPUT' });
    });

    it('maps 401 to AI_AUTH without leaking the key', async () => {
      server.enqueue(SPEECH_PATH, errorReply(401, `Incorrect API key provided: ${FAKE_OPENAI_KEY}`));
      const error = await providerFailure(sut.synthesize(request(), outPath));
      expect(error).toMatchObject({ code: 'AI_AUTH', retryable: false });
      expect(await filesLeft()).toEqual([]);
    });

    it.each<[string, Partial<SpeechRequest>]>([
      ['an unknown voice', { voiceId: 'openai:nobody' }],
      ['another provider’s voice', { voiceId: 'espeak:en-us' }],
      ['blank text', { text: ' \n ' }],
      ['a speed below 0.5', { speed: 0.25 }],
      ['a speed above 2', { speed: 3 }],
    ])('refuses %s without calling the API', async (_name, overrides) => {
      const error = await providerFailure(sut.synthesize(request(overrides), outPath));
      expect(error).toMatchObject({ code: 'AI_REFUSED', retryable: false });
      expect(server.calls()).toBe(0);
    });
  });
});

describe(splitForSpeech.name, () => {
  it('keeps short text whole', () => {
    expect(splitForSpeech('One. Two.')).toEqual(['One. Two.']);
  });

  it('packs whole sentences into pieces under the limit', () => {
    expect(splitForSpeech('Aaaa aaaa. Bbbb bbbb. Cccc cccc.', 22)).toEqual(['Aaaa aaaa. Bbbb bbbb.', 'Cccc cccc.']);
  });

  it('splits a sentence over the limit at spaces, and CJK text without any at the limit', () => {
    expect(splitForSpeech('one two three four five six', 10)).toEqual(['one two', 'three four', 'five six']);
    const han = '黑'.repeat(25);
    expect(splitForSpeech(han, 10)).toEqual(['黑'.repeat(10), '黑'.repeat(10), '黑'.repeat(5)]);
  });
});
