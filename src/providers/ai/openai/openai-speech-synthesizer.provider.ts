import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AiProviderError } from 'src/providers/ai/ai-provider.errors';
import {
  OpenAiConnection,
  openAiConnection,
  OpenAiProviderOptions,
  OpenAiSettings,
} from 'src/providers/ai/openai/openai-client.factory';
import { OPENAI_PROVIDER } from 'src/providers/ai/openai/openai-errors';
import { RetryOptions, withRetries } from 'src/providers/ai/openai/openai-retry';
import { WavFileWriter, WavStreamReader } from 'src/providers/ai/openai/wav-stream';
import { SpeechRequest, SpeechResult, SpeechSynthesizer, Voice } from 'src/providers/ai/speech-synthesizer.provider';
import { collapseWhitespace, joinSentences, splitSentences } from 'src/providers/ai/text/sentences';

export const OPENAI_SPEECH_TIMEOUT_MS = 120_000;
/** OpenAI's speech endpoint takes at most 4096 characters; the margin covers counting differences. */
export const OPENAI_SPEECH_MAX_INPUT_CHARS = 4000;
export const OPENAI_VOICE_NAMES = [
  'alloy',
  'ash',
  'ballad',
  'coral',
  'echo',
  'fable',
  'nova',
  'onyx',
  'sage',
  'shimmer',
  'verse',
] as const;
export const OPENAI_DEFAULT_VOICE = 'openai:alloy';
const VOICE_PREFIX = 'openai:';
const LANGUAGE_TAG = /^[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*$/i;
const MIN_SPEED = 0.5;
const MAX_SPEED = 2;

/**
 * Cuts text into pieces the speech endpoint accepts: whole sentences where possible, then words, then characters (for
 * a run of CJK text with no punctuation).
 */
export function splitForSpeech(text: string, maxChars = OPENAI_SPEECH_MAX_INPUT_CHARS): string[] {
  const length = (value: string) => [...value].length;
  const pieces: string[] = [];
  for (const sentence of splitSentences(text)) {
    if (length(sentence) <= maxChars) {
      pieces.push(sentence);
      continue;
    }
    let current = '';
    for (const word of sentence.split(' ')) {
      for (let rest = [...word]; rest.length > 0; rest = rest.slice(maxChars)) {
        const part = rest.slice(0, maxChars).join('');
        const joined = current ? `${current} ${part}` : part;
        if (length(joined) <= maxChars) {
          current = joined;
        } else {
          pieces.push(current);
          current = part;
        }
      }
    }
    if (current) {
      pieces.push(current);
    }
  }
  const chunks: string[] = [];
  for (const piece of pieces) {
    const last = chunks[chunks.length - 1];
    const joined = last === undefined ? piece : joinSentences([last, piece]);
    if (last !== undefined && length(joined) <= maxChars) {
      chunks[chunks.length - 1] = joined;
    } else {
      chunks.push(piece);
    }
  }
  return chunks;
}

/**
 * OpenAI text-to-speech. Replies are requested as WAV and re-written as one WAV file with real sizes in its header
 * (streamed replies carry placeholders), so long text can be spoken in several requests and joined sample-exact.
 */
export class OpenAiSpeechSynthesizer extends SpeechSynthesizer {
  override readonly name = OPENAI_PROVIDER;
  private readonly api: OpenAiConnection;

  constructor(
    private readonly settings: OpenAiSettings,
    options: OpenAiProviderOptions = {},
  ) {
    super();
    this.api = openAiConnection(settings, options, OPENAI_SPEECH_TIMEOUT_MS);
  }

  override listVoices(): Voice[] {
    // OpenAI's voices speak every language the model does; it publishes no gender for them, so none is claimed.
    return OPENAI_VOICE_NAMES.map((voice) => ({
      id: `${VOICE_PREFIX}${voice}`,
      provider: OPENAI_PROVIDER,
      language: 'multi',
      name: voice[0].toUpperCase() + voice.slice(1),
    }));
  }

  override defaultVoiceFor(language: string): string | undefined {
    return typeof language === 'string' && LANGUAGE_TAG.test(language.trim()) ? OPENAI_DEFAULT_VOICE : undefined;
  }

  override async synthesize(request: SpeechRequest, outPath: string, signal?: AbortSignal): Promise<SpeechResult> {
    signal?.throwIfAborted();
    const voice = this.voiceName(request.voiceId);
    const text = typeof request.text === 'string' ? collapseWhitespace(request.text) : '';
    if (!text) {
      throw AiProviderError.refused('Speech text must contain visible text', { provider: OPENAI_PROVIDER });
    }
    const { speed } = request;
    if (typeof speed !== 'number' || !Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
      throw AiProviderError.refused(`Speech speed must be from ${MIN_SPEED} to ${MAX_SPEED}`, {
        provider: OPENAI_PROVIDER,
      });
    }

    await mkdir(dirname(outPath), { recursive: true });
    const partPath = join(dirname(outPath), `.${basename(outPath)}.${randomUUID()}.part`);
    const file = await open(partPath, 'wx');
    const wav = new WavFileWriter(file);
    // An attempt abandoned on timeout may still be finishing a write; the next one waits for it before rewinding.
    let previousAttempt: Promise<unknown> = Promise.resolve();
    let closed = false;
    try {
      for (const input of splitForSpeech(text)) {
        const mark = wav.mark();
        const retryOptions: RetryOptions = this.api.retry(signal);
        await withRetries((attemptSignal) => {
          const attempt = previousAttempt.then(async () => {
            await wav.rewind(mark);
            await this.speak({ input, voice, speed }, wav, attemptSignal);
          });
          previousAttempt = attempt.catch(() => undefined);
          return attempt;
        }, retryOptions);
      }
      await wav.finish();
      await file.close();
      closed = true;
      await rename(partPath, outPath);
      return { format: 'wav', characters: [...text].length };
    } catch (error) {
      await previousAttempt;
      if (!closed) {
        await file.close().catch(() => undefined);
      }
      await rm(partPath, { force: true });
      throw error;
    }
  }

  private async speak(
    params: { input: string; voice: string; speed: number },
    wav: WavFileWriter,
    signal: AbortSignal,
  ): Promise<void> {
    const response = await this.api.client.audio.speech.create(
      { model: this.settings.ttsModel, ...params, response_format: 'wav' },
      { signal },
    );
    if (!response.body) {
      throw AiProviderError.badOutput('Speech output is empty', { provider: OPENAI_PROVIDER });
    }
    const reader = new WavStreamReader();
    for await (const piece of response.body) {
      signal.throwIfAborted();
      const samples = reader.push(Buffer.from(piece as Uint8Array));
      if (reader.format) {
        await wav.begin(reader.format);
        await wav.write(samples);
      }
    }
    reader.end();
  }

  private voiceName(voiceId: unknown): string {
    const name =
      typeof voiceId === 'string' && voiceId.startsWith(VOICE_PREFIX) ? voiceId.slice(VOICE_PREFIX.length) : '';
    if (!(OPENAI_VOICE_NAMES as readonly string[]).includes(name)) {
      const shown = typeof voiceId === 'string' ? JSON.stringify([...voiceId].slice(0, 60).join('')) : typeof voiceId;
      throw AiProviderError.refused(`Unknown OpenAI voice ${shown}`, { provider: OPENAI_PROVIDER });
    }
    return name;
  }
}
