import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from 'src/common/process/child-process.runner';
import { AiProviderError } from 'src/providers/ai/ai-provider.errors';
import { OfflineSpeechSynthesizer } from 'src/providers/ai/offline-speech-synthesizer.provider';
import { prepareEspeakText } from 'src/providers/ai/offline/speech/espeak-command';
import { ESPEAK_VOICES, espeakVoiceArgument } from 'src/providers/ai/offline/speech/espeak-voices';
import { SpeechRequest, SpeechSynthesizer } from 'src/providers/ai/speech-synthesizer.provider';

// Integration spec: runs the real espeak-ng and ffprobe of this machine.

const EN_SENTENCE = 'The quick brown fox jumps over the lazy dog.';
const EN_PARAGRAPH =
  'The quick brown fox jumps over the lazy dog. Every morning the city wakes up slowly, one window at a time. ' +
  'Short videos tell a story in less than a minute, so every word has to count.';
/** Ten Han characters; espeak's cmn voice reads several of them as English words and digits ("ren two"). */
const ZH_TEN_HANZI = '人工智能正在改变生活';

async function capture(command: string, args: string[]): Promise<string> {
  let stdout = '';
  const result = await runProcess(command, args, {
    onStdout: (chunk) => {
      stdout += chunk;
    },
  });
  if (result.code !== 0) {
    throw new Error(`${command} exited with ${result.code}: ${result.stderr}`);
  }
  return stdout;
}

interface AudioInfo {
  codec: string;
  sampleRate: number;
  channels: number;
  seconds: number;
}

async function probe(file: string): Promise<AudioInfo> {
  const json = await capture('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=codec_name,sample_rate,channels:format=duration',
    '-of',
    'json',
    file,
  ]);
  const parsed = JSON.parse(json) as {
    streams: { codec_name: string; sample_rate: string; channels: number }[];
    format: { duration: string };
  };
  const [stream] = parsed.streams;
  return {
    codec: stream.codec_name,
    sampleRate: Number(stream.sample_rate),
    channels: stream.channels,
    seconds: Number(parsed.format.duration),
  };
}

/** espeak-ng's phoneme transcription (`-x`), the closest thing to listening that a test can do. */
function phonemes(voiceArgument: string, text: string): Promise<string> {
  return capture('espeak-ng', ['-q', '-x', '-v', voiceArgument, '--', text]);
}

/** Pids of running processes whose command line mentions `needle`. */
async function processesMentioning(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(needle)) {
        pids.push(Number(entry));
      }
    } catch {
      // Exited meanwhile.
    }
  }
  return pids.filter((pid) => pid !== process.pid);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (reason: unknown) => reason,
  );
}

describe(OfflineSpeechSynthesizer.name, () => {
  let sut: OfflineSpeechSynthesizer;
  let dir: string;

  const speak = (overrides: Partial<SpeechRequest> = {}, file = 'out.wav', signal?: AbortSignal) =>
    sut.synthesize({ text: EN_SENTENCE, voiceId: 'espeak:en-us', speed: 1, ...overrides }, join(dir, file), signal);

  beforeAll(async () => {
    sut = await OfflineSpeechSynthesizer.create();
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reelsmith-espeak-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is a SpeechSynthesizer named "offline"', () => {
    expect(sut).toBeInstanceOf(SpeechSynthesizer);
    expect(sut.name).toBe('offline');
  });

  describe('voices', () => {
    it('lists English, British English and Mandarin on this machine, public fields only', () => {
      const voices = sut.listVoices();
      expect(voices).toEqual(
        expect.arrayContaining([
          { id: 'espeak:en-us', provider: 'espeak', language: 'en-US', name: 'English (US)', gender: 'male' },
          { id: 'espeak:en-gb', provider: 'espeak', language: 'en-GB', name: 'English (UK)', gender: 'male' },
          { id: 'espeak:cmn', provider: 'espeak', language: 'zh', name: 'Mandarin Chinese', gender: 'male' },
        ]),
      );
      for (const voice of voices) {
        expect(Object.keys(voice).sort()).toEqual(['gender', 'id', 'language', 'name', 'provider']);
      }
    });

    it('lists only voices whose language and variant espeak-ng really has', async () => {
      const [languages, variants] = await Promise.all([
        capture('espeak-ng', ['--voices']),
        capture('espeak-ng', ['--voices=variant']),
      ]);
      const listed = new Set(sut.listVoices().map((voice) => voice.id));
      expect(listed.size).toBeGreaterThan(0);
      for (const voice of ESPEAK_VOICES.filter((candidate) => listed.has(candidate.id))) {
        expect(languages).toMatch(new RegExp(`^\\s*\\d+\\s+${voice.espeakLanguage}\\s`, 'im'));
        if (voice.variant) {
          expect(variants).toMatch(new RegExp(`\\s!v/${voice.variant}\\s*$`, 'im'));
        }
      }
    });

    it('drops a voice espeak-ng lacks', async () => {
      const fake = join(dir, 'fake-espeak');
      // A stand-in espeak-ng that knows American English and nothing else.
      await writeFile(
        fake,
        '#!/bin/sh\n[ "$1" = "--voices" ] && echo " 2  en-us           --/M      English_(America)  gmw/en-US"\nexit 0\n',
        { mode: 0o755 },
      );
      const partial = await OfflineSpeechSynthesizer.create({ command: fake });
      expect(partial.listVoices().map((voice) => voice.id)).toEqual(['espeak:en-us']);
      expect(partial.defaultVoiceFor('zh')).toBeUndefined();
    });

    it('lists nothing before the check, and nothing when espeak-ng is missing', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const missing = new OfflineSpeechSynthesizer({ command: join(dir, 'no-such-espeak') });
      expect(missing.listVoices()).toEqual([]);
      await missing.onModuleInit();
      expect(missing.listVoices()).toEqual([]);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('espeak-ng could not be started (ENOENT)'));
      warn.mockRestore();
      expect(missing.defaultVoiceFor('en')).toBeUndefined();
      const error = await rejection(
        missing.synthesize({ text: 'hi', voiceId: 'espeak:en-us', speed: 1 }, join(dir, 'x.wav')),
      );
      expect(error).toBeInstanceOf(AiProviderError);
      expect(error).toMatchObject({ code: 'AI_UNAVAILABLE', retryable: false });
    });

    it.each([
      ['en', 'espeak:en-us'],
      ['en-US', 'espeak:en-us'],
      ['en-GB', 'espeak:en-gb'],
      ['zh', 'espeak:cmn'],
      ['zh-CN', 'espeak:cmn'],
      ['cmn', 'espeak:cmn'],
      ['ja', undefined],
    ])('defaults %s to %s', (language, voiceId) => {
      expect(sut.defaultVoiceFor(language)).toBe(voiceId);
    });
  });

  describe('English', () => {
    it('writes a mono 16-bit WAV of plausible length', async () => {
      const result = await speak();
      expect(result).toEqual({ format: 'wav', characters: [...EN_SENTENCE].length });
      const info = await probe(join(dir, 'out.wav'));
      expect(info).toMatchObject({ codec: 'pcm_s16le', sampleRate: 22050, channels: 1 });
      // Nine words at 175 wpm ≈ 3 s.
      expect(info.seconds).toBeGreaterThan(1.5);
      expect(info.seconds).toBeLessThan(6);
    });

    it('takes roughly proportionally longer for longer text', async () => {
      await speak({}, 'short.wav');
      await speak({ text: EN_PARAGRAPH }, 'long.wav');
      const [short, long] = await Promise.all([probe(join(dir, 'short.wav')), probe(join(dir, 'long.wav'))]);
      const words = (text: string) => text.split(/\s+/).length;
      const ratio = long.seconds / short.seconds / (words(EN_PARAGRAPH) / words(EN_SENTENCE));
      expect(ratio).toBeGreaterThan(0.7);
      expect(ratio).toBeLessThan(1.4);
    });

    it('speaks faster at speed 2 than at speed 0.5', async () => {
      await speak({ speed: 2 }, 'fast.wav');
      await speak({ speed: 0.5 }, 'slow.wav');
      const [fast, slow] = await Promise.all([probe(join(dir, 'fast.wav')), probe(join(dir, 'slow.wav'))]);
      // 350 against 88 words per minute: about a quarter.
      expect(fast.seconds).toBeLessThan(slow.seconds * 0.4);
    });

    it('speaks with the female variant', async () => {
      await speak({ voiceId: 'espeak:en-us-f' });
      expect((await probe(join(dir, 'out.wav'))).seconds).toBeGreaterThan(1.5);
    });

    it('is deterministic', async () => {
      await speak({}, 'a.wav');
      await speak({}, 'b.wav');
      expect(await readFile(join(dir, 'a.wav'))).toEqual(await readFile(join(dir, 'b.wav')));
    });
  });

  describe('Mandarin', () => {
    const cmn = ESPEAK_VOICES.find((voice) => voice.id === 'espeak:cmn')!;

    it('reads ten Han characters as ten Mandarin syllables with tones, no English', async () => {
      const ours = await phonemes(espeakVoiceArgument(cmn), prepareEspeakText(ZH_TEN_HANZI, cmn.language));
      expect(ours).not.toContain('(en)');
      const syllables = ours.split('_|').filter((syllable) => syllable.trim());
      expect(syllables).toHaveLength(10);
      // Chao tone letters: 55, 35, 214/21, 51 (or a neutral-tone pitch).
      for (const syllable of syllables) {
        expect(syllable).toMatch(/[1-5]{2,3}/);
      }
      // What this guards against: espeak-ng 1.51's cmn voice switches to English for several of them.
      expect(await phonemes('cmn', ZH_TEN_HANZI)).toContain('(en)');
    });

    it('reads digits, percentages and Latin acronyms in Chinese text without switching to English', async () => {
      const text = prepareEspeakText('2024年，AI技术增长了25%，价格是3.5元。', cmn.language);
      expect(await phonemes(espeakVoiceArgument(cmn), text)).not.toContain('(en)');
    });

    it('writes audio of Mandarin length, far shorter than an English voice spelling out the characters', async () => {
      const result = await speak({ text: ZH_TEN_HANZI, voiceId: 'espeak:cmn' }, 'zh.wav');
      expect(result).toEqual({ format: 'wav', characters: 10 });
      await speak({ text: ZH_TEN_HANZI, voiceId: 'espeak:en-us' }, 'en.wav');
      const [zh, en] = await Promise.all([probe(join(dir, 'zh.wav')), probe(join(dir, 'en.wav'))]);
      // About 0.28 s a syllable at speed 1; the English voice says "Chinese letter" ten times (≈ 7 s).
      expect(zh.seconds).toBeGreaterThan(1.5);
      expect(zh.seconds).toBeLessThan(4.5);
      expect(zh.seconds).toBeLessThan(en.seconds * 0.6);
    });

    it('speaks with the female variant', async () => {
      await speak({ text: ZH_TEN_HANZI, voiceId: 'espeak:cmn-f' });
      expect((await probe(join(dir, 'out.wav'))).seconds).toBeGreaterThan(1.5);
    });
  });

  describe('text is only ever spoken', () => {
    it('speaks shell metacharacters literally and runs nothing', async () => {
      const marker = join(dir, 'pwned');
      const text = `-v $(touch ${marker}) \`touch ${marker}\`; touch ${marker} && echo hi | tee ${marker} > ${marker}`;
      await speak({ text });
      expect(existsSync(marker)).toBe(false);
      // Every word and path is read out: far longer than a parsed option or an empty file.
      expect((await probe(join(dir, 'out.wav'))).seconds).toBeGreaterThan(5);
    });

    it('speaks text that looks like options', async () => {
      // Parsed as options, "--help" would print usage and write no file at all.
      await speak({ text: '--help' });
      expect((await probe(join(dir, 'out.wav'))).seconds).toBeGreaterThan(0.3);
    });
  });

  describe('files', () => {
    it('leaves only the finished file, replacing an older one', async () => {
      await writeFile(join(dir, 'out.wav'), 'old');
      await speak();
      expect(await readdir(dir)).toEqual(['out.wav']);
      expect((await readFile(join(dir, 'out.wav'))).subarray(0, 4).toString()).toBe('RIFF');
    });

    it('fails as unavailable and leaves nothing when the file cannot be written', async () => {
      // espeak-ng exits 0 when it cannot open its -w file.
      const error = await rejection(speak({}, join('missing', 'out.wav')));
      expect(error).toBeInstanceOf(AiProviderError);
      expect(error).toMatchObject({ code: 'AI_UNAVAILABLE', message: 'espeak-ng wrote no audio' });
      expect((error as Error).message).not.toContain(dir);
      expect(await readdir(dir)).toEqual([]);
    });
  });

  describe('abort', () => {
    it('kills espeak-ng and leaves no file', async () => {
      // 5000 characters of Chinese at half speed keep espeak-ng busy for a second or two.
      const text = '人工智能正在改变我们的生活方式。'.repeat(400).slice(0, 5000);
      const controller = new AbortController();
      const reason = new Error('cancelled by the user');
      const pending = speak({ text, voiceId: 'espeak:cmn', speed: 0.5 }, 'long.wav', controller.signal);
      let running: number[] = [];
      for (let waited = 0; running.length === 0 && waited < 5000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        running = await processesMentioning(dir);
      }
      expect(running).toHaveLength(1);
      expect(await readlink(`/proc/${running[0]}/exe`)).toMatch(/espeak-ng$/);
      controller.abort(reason);
      expect(await rejection(pending)).toBe(reason);
      expect(await processesMentioning(dir)).toEqual([]);
      expect(await readdir(dir)).toEqual([]);
    });

    it('starts nothing when already aborted', async () => {
      const controller = new AbortController();
      controller.abort(new Error('too late'));
      expect(await rejection(speak({}, 'out.wav', controller.signal))).toBe(controller.signal.reason);
      expect(await readdir(dir)).toEqual([]);
    });
  });

  describe('refusals', () => {
    async function refusal(request: Partial<SpeechRequest>): Promise<AiProviderError> {
      const error = await rejection(speak(request));
      expect(error).toBeInstanceOf(AiProviderError);
      expect(error).toMatchObject({ code: 'AI_REFUSED', retryable: false, provider: 'offline' });
      expect(await readdir(dir)).toEqual([]);
      return error as AiProviderError;
    }

    it('refuses an unknown voice, naming it', async () => {
      expect((await refusal({ voiceId: 'espeak:klingon' })).message).toBe(
        'Unknown voice "espeak:klingon" for the offline provider',
      );
      await refusal({ voiceId: 'openai:alloy' });
    });

    it.each([
      ['empty', ''],
      ['blank', ' \n\t '],
      ['punctuation only', '，。！？…'],
    ])('refuses %s text', async (_, text) => {
      expect((await refusal({ text })).message).toBe('Speech text must contain a letter or a digit');
    });

    it('refuses more than 5000 characters, counting code points after collapsing whitespace', async () => {
      expect((await refusal({ text: 'a'.repeat(5001) })).message).toMatch(/at most 5000 characters/);
      const result = await speak({
        text: `${'语'.repeat(4990)}      ${'𠀀'.repeat(9)}`,
        voiceId: 'espeak:cmn',
        speed: 2,
      });
      expect(result.characters).toBe(5000);
    });

    it.each([NaN, Infinity])('refuses speed %d', async (speed) => {
      await refusal({ speed });
    });
  });
});
