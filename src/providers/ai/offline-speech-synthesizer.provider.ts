import { Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { ProcessAbortedError, runProcess } from 'src/common/process/child-process.runner';
import { AiProviderError } from 'src/providers/ai/ai-provider.errors';
import {
  MAX_SPEECH_CHARS,
  buildEspeakArgs,
  espeakWordsPerMinute,
  hasSpeakableText,
  prepareEspeakText,
} from 'src/providers/ai/offline/speech/espeak-command';
import {
  ESPEAK_PROVIDER,
  ESPEAK_VOICES,
  EspeakInventory,
  EspeakVoice,
  defaultEspeakVoiceKey,
  espeakVoiceArgument,
  isVoiceInstalled,
  parseEspeakVoiceList,
  toPublicVoice,
} from 'src/providers/ai/offline/speech/espeak-voices';
import { SpeechRequest, SpeechResult, SpeechSynthesizer, Voice } from 'src/providers/ai/speech-synthesizer.provider';
import { collapseWhitespace } from 'src/providers/ai/text/sentences';

export const OFFLINE_SPEECH_PROVIDER = 'offline';

/** A RIFF/WAVE header alone; espeak-ng writes just this when it had nothing to say. */
const WAV_HEADER_BYTES = 44;

export interface OfflineSpeechSynthesizerOptions {
  /** The espeak-ng executable; found on PATH by default. */
  command?: string;
}

/**
 * Speech from the espeak-ng on this machine: robotic but offline, deterministic and fast (tens of ms a sentence).
 *
 * Which catalogue voices are listed depends on what `espeak-ng --voices` reports. Nest runs that check at start-up
 * (onModuleInit); until it has run `listVoices()` is empty, and `synthesize` waits for it. Not `@Injectable()`: its one
 * argument is optional, so Nest can construct it bare as a class provider, or a factory can pass options.
 */
export class OfflineSpeechSynthesizer extends SpeechSynthesizer implements OnModuleInit {
  readonly name = OFFLINE_SPEECH_PROVIDER;
  private readonly logger = new Logger(OfflineSpeechSynthesizer.name);
  private readonly command: string;
  private inventory?: Promise<EspeakInventory>;
  private installed: readonly EspeakVoice[] = [];

  constructor(options: OfflineSpeechSynthesizerOptions = {}) {
    super();
    this.command = options.command ?? 'espeak-ng';
  }

  /** A synthesizer whose voice check has run. */
  static async create(options: OfflineSpeechSynthesizerOptions = {}): Promise<OfflineSpeechSynthesizer> {
    const synthesizer = new OfflineSpeechSynthesizer(options);
    await synthesizer.refreshVoices();
    return synthesizer;
  }

  async onModuleInit(): Promise<void> {
    await this.refreshVoices();
  }

  /** Asks espeak-ng which languages and variants it has; a missing espeak-ng leaves no voices, and says so. */
  async refreshVoices(): Promise<Voice[]> {
    this.inventory = this.probe();
    const inventory = await this.inventory;
    this.installed = ESPEAK_VOICES.filter((voice) => isVoiceInstalled(voice, inventory));
    return this.listVoices();
  }

  override listVoices(): Voice[] {
    return this.installed.map(toPublicVoice);
  }

  override defaultVoiceFor(language: string): string | undefined {
    const key = defaultEspeakVoiceKey(language);
    return key === undefined ? undefined : this.installed.find((voice) => voice.id === `${ESPEAK_PROVIDER}:${key}`)?.id;
  }

  override async synthesize(request: SpeechRequest, outPath: string, signal?: AbortSignal): Promise<SpeechResult> {
    signal?.throwIfAborted();
    const text = typeof request.text === 'string' ? collapseWhitespace(request.text) : '';
    const characters = [...text].length;
    if (!hasSpeakableText(text)) {
      throw this.refused('Speech text must contain a letter or a digit');
    }
    if (characters > MAX_SPEECH_CHARS) {
      throw this.refused(`Speech text must be at most ${MAX_SPEECH_CHARS} characters (got ${characters})`);
    }
    if (typeof request.speed !== 'number' || !Number.isFinite(request.speed)) {
      throw this.refused('Speech speed must be a number from 0.5 to 2');
    }
    await (this.inventory ?? this.refreshVoices());
    signal?.throwIfAborted();
    if (this.installed.length === 0) {
      throw new AiProviderError('AI_UNAVAILABLE', 'espeak-ng is not installed or has none of the offline voices', {
        retryable: false,
        provider: OFFLINE_SPEECH_PROVIDER,
      });
    }
    const voice = this.installed.find((candidate) => candidate.id === request.voiceId);
    if (!voice) {
      throw this.refused(
        `Unknown voice ${JSON.stringify(String(request.voiceId).slice(0, 100))} for the offline provider`,
      );
    }

    // Written beside outPath, so the rename is atomic and a reader never sees half a file.
    const tempPath = `${outPath}.${randomUUID()}.tmp.wav`;
    const args = buildEspeakArgs({
      voice: espeakVoiceArgument(voice),
      wordsPerMinute: espeakWordsPerMinute(request.speed),
      outPath: tempPath,
      text: prepareEspeakText(text, voice.language),
    });
    try {
      const result = await this.run(args, signal);
      if (result.code !== 0) {
        throw AiProviderError.unavailable(`espeak-ng failed (${result.signal ?? `exit code ${result.code}`})`, {
          provider: OFFLINE_SPEECH_PROVIDER,
          cause: new Error(result.stderr.trim()),
        });
      }
      // espeak-ng exits 0 even when it cannot open the -w file.
      const size = await stat(tempPath).then(
        (stats) => stats.size,
        () => 0,
      );
      if (size <= WAV_HEADER_BYTES) {
        throw AiProviderError.unavailable('espeak-ng wrote no audio', {
          provider: OFFLINE_SPEECH_PROVIDER,
          cause: new Error(result.stderr.trim() || 'empty output'),
        });
      }
      await rename(tempPath, outPath);
    } catch (error) {
      await rm(tempPath, { force: true });
      throw error;
    }
    return { format: 'wav', characters };
  }

  /** Runs espeak-ng; an abort rejects with the signal's reason, a failed start with AI_UNAVAILABLE. */
  private async run(args: readonly string[], signal?: AbortSignal, onStdout?: (chunk: string) => void) {
    try {
      return await runProcess(this.command, args, { signal, onStdout });
    } catch (error) {
      if (error instanceof ProcessAbortedError && signal?.aborted) {
        throw signal.reason;
      }
      const code = (error as NodeJS.ErrnoException).code;
      // Not installed or not executable stays so until someone fixes the machine; EAGAIN, EMFILE and the like pass.
      const permanent = code === 'ENOENT' || code === 'EACCES';
      throw new AiProviderError('AI_UNAVAILABLE', `espeak-ng could not be started${code ? ` (${code})` : ''}`, {
        retryable: !permanent,
        provider: OFFLINE_SPEECH_PROVIDER,
        cause: error,
      });
    }
  }

  private async probe(): Promise<EspeakInventory> {
    try {
      const [languages, variants] = await Promise.all([this.listed('--voices'), this.listed('--voices=variant')]);
      const inventory = { languages: languages.languages, variants: variants.variants };
      if (inventory.languages.size === 0) {
        this.logger.warn('espeak-ng lists no voices; the offline provider cannot speak');
      }
      return inventory;
    } catch (error) {
      this.logger.warn(`espeak-ng is not usable, so the offline provider has no voices: ${(error as Error).message}`);
      return { languages: new Set(), variants: new Set() };
    }
  }

  private async listed(option: string): Promise<ReturnType<typeof parseEspeakVoiceList>> {
    let stdout = '';
    const result = await this.run([option], undefined, (chunk) => {
      stdout += chunk;
    });
    if (result.code !== 0) {
      throw new Error(`espeak-ng ${option} exited with ${result.signal ?? result.code}`);
    }
    return parseEspeakVoiceList(stdout);
  }

  private refused(message: string): AiProviderError {
    return AiProviderError.refused(message, { provider: OFFLINE_SPEECH_PROVIDER });
  }
}
