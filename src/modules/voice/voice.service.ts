import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { AppError } from 'src/common/errors/app-error';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { AssetsRepository } from 'src/modules/assets/assets.repository';
import { JsonObject } from 'src/modules/tasks/entities/task.entity';
import { TaskContext, TaskHandlerRegistry } from 'src/modules/tasks/task-handler.registry';
import { CreatedTask, TasksService } from 'src/modules/tasks/tasks.service';
import { SynthesizeVoiceDto } from 'src/modules/voice/dto/voice.dto';
import { SpeechRequest, SpeechService } from 'src/modules/voice/speech.service';
import { SpeechSynthesizer } from 'src/providers/ai/speech-synthesizer.provider';

const HAN = /\p{Script=Han}/u;

/** The key CacheInterceptor stores GET /voices under (the request URL). */
export const VOICES_CACHE_KEY = '/api/v1/voices';

/** Text-to-speech as a task: the result is an audio asset the user owns, with sentence timings. */
@Injectable()
export class VoiceService implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly tasks: TasksService,
    private readonly handlers: TaskHandlerRegistry,
    private readonly speech: SpeechService,
    private readonly synthesizer: SpeechSynthesizer,
    private readonly assets: AssetsRepository,
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
  ) {}

  onModuleInit(): void {
    this.handlers.register('voice', (context) => this.handleVoiceTask(context));
  }

  /** The voice list changes only with the configuration: a (re)start drops the cached answer. */
  async onApplicationBootstrap(): Promise<void> {
    await this.cache.del(VOICES_CACHE_KEY).catch(() => undefined);
  }

  /** A voice the provider has, or the default for the text's language. */
  resolveVoice(text: string, voiceId?: string): string {
    const voice = voiceId ?? this.synthesizer.defaultVoiceFor(HAN.test(text) ? 'zh' : 'en');
    if (!voice || !this.synthesizer.listVoices().some((known) => known.id === voice)) {
      throw AppError.validation([{ field: 'voiceId', message: 'must be one of the voices listed by GET /voices' }]);
    }
    return voice;
  }

  submit(user: AuthUser, dto: SynthesizeVoiceDto, idempotencyKey?: string): Promise<CreatedTask> {
    const input: SpeechRequest = {
      text: dto.text,
      voiceId: this.resolveVoice(dto.text, dto.voiceId),
      speed: dto.speed ?? 1,
    };
    return this.tasks.create({
      ownerId: user.id,
      type: 'voice',
      input: { ...input },
      idempotencyKey,
      callbackUrl: dto.callbackUrl,
    });
  }

  async handleVoiceTask(context: TaskContext): Promise<JsonObject> {
    await context.progress(1, 'voice');
    const request = context.task.input as unknown as SpeechRequest;
    const track = await this.speech.narrate(request, context.signal, (fraction) =>
      context.progress(Math.round(fraction * 95), 'voice'),
    );
    // The task's id names the asset, so a rerun after a crash finds it instead of adding another.
    const assetId = context.task.id;
    const existing = await this.assets.findById(assetId);
    const asset =
      existing ??
      (await this.assets.create({
        id: assetId,
        ownerId: context.task.ownerId,
        kind: 'audio',
        mimeType: 'audio/mp4',
        sizeBytes: track.sizeBytes,
        originalName: 'narration.m4a',
        storageKey: track.storageKey,
        ownsObject: false,
        etag: track.etag,
        width: null,
        height: null,
        durationMs: track.durationMs,
      }));
    return {
      assetId: asset.id,
      durationMs: track.durationMs,
      sentences: track.sentences as unknown as JsonObject[],
      voiceId: request.voiceId,
      provider: this.synthesizer.name,
      usage: { characters: track.synthesizedCharacters, cached: track.cached },
    };
  }
}
