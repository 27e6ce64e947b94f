import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { SENTENCE_PAUSE_MS } from 'src/common/narration-timing';
import { withTempDir } from 'src/common/utils/temp-dir';
import { integratedLoudness } from 'src/media/audio/loudness-meter';
import { joinClips } from 'src/media/audio/pcm-timeline';
import { normalisingGainDb } from 'src/media/ffmpeg/loudness';
import {
  buildClipArgs,
  buildTrackArgs,
  SPEECH_TARGET_LUFS,
  TrackFormat,
} from 'src/media/ffmpeg/speech-command.builder';
import { encodeFloatWav, PcmAudio, pcmDurationMs } from 'src/media/ffmpeg/wav';
import { MediaRepository } from 'src/media/media.repository';
import { SpeechCacheEntity, TrackSentence } from 'src/modules/voice/entities/speech-cache.entity';
import { SpeechCacheRepository } from 'src/modules/voice/speech-cache.repository';
import { SpeechSynthesizer } from 'src/providers/ai/speech-synthesizer.provider';
import { splitSentences } from 'src/providers/ai/text/sentences';
import { StorageDriver } from 'src/storage/storage.driver';

// Bump when the processing changes, so old cached audio is not reused for a different result.
// Clips 2: a provider's own 16-bit PCM WAV is kept as it is.
const CLIP_VERSION = 2;
// Tracks 3: loudness by one measured linear gain instead of loudnorm.
const TRACK_VERSION = 3;

export interface SpeechRequest {
  text: string;
  voiceId: string;
  speed: number;
}

/** A narration's length and sentence times, known once its clips are, before its track is built. */
export interface NarrationTiming {
  durationMs: number;
  sentences: TrackSentence[];
}

export interface NarrateOptions {
  /** AAC (`m4a`, what users get; the default) or float WAV (`wav`, what renders mix from). */
  format?: TrackFormat;
  /** Called with the timing as soon as it is known: a render plans the scene's segment from it. */
  onTimed?: (timing: NarrationTiming) => void;
}

export interface NarrationTrack {
  storageKey: string;
  durationMs: number;
  sizeBytes: number;
  etag: string;
  sentences: TrackSentence[];
  /** True when nothing had to be synthesized. */
  cached: boolean;
  /** Characters sent to the provider in this call (0 when everything came from the cache). */
  synthesizedCharacters: number;
}

const hash = (parts: unknown[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex');

/**
 * Narration as content-addressed audio: each sentence is synthesized once per provider, voice and
 * speed, kept as 16-bit PCM WAV and measured; a track joins the clips with short pauses and brings
 * them to one loudness. Both levels are cached by content, in storage and the database.
 */
@Injectable()
export class SpeechService {
  constructor(
    private readonly synthesizer: SpeechSynthesizer,
    private readonly cache: SpeechCacheRepository,
    private readonly storage: StorageDriver,
    private readonly media: MediaRepository,
  ) {}

  /**
   * The narration of `request.text` as a track: AAC (`m4a`, what users get) or float WAV (`wav`,
   * what renders mix from: joined in-process when the clips share a sample rate, no ffmpeg).
   * Its timing comes from the clips' measured lengths, so it is known (`onTimed`) before the track
   * is built and stored.
   */
  async narrate(
    request: SpeechRequest,
    signal?: AbortSignal,
    onProgress?: (fraction: number) => Promise<void> | void,
    { format = 'm4a', onTimed }: NarrateOptions = {},
  ): Promise<NarrationTrack> {
    const sentences = splitSentences(request.text);
    const texts = sentences.length > 0 ? sentences : [request.text.trim()];
    const clips: SpeechCacheEntity[] = [];
    let synthesizedCharacters = 0;
    for (const [i, text] of texts.entries()) {
      const { clip, synthesized } = await this.clip(text, request, signal);
      clips.push(clip);
      synthesizedCharacters += synthesized ? text.length : 0;
      await onProgress?.(((i + 1) / texts.length) * 0.8);
    }
    const track = await this.track(texts, clips, format, signal, onTimed);
    await onProgress?.(1);
    return {
      storageKey: track.storageKey,
      durationMs: track.durationMs,
      sizeBytes: track.sizeBytes,
      etag: track.etag,
      sentences: track.sentences ?? [],
      cached: synthesizedCharacters === 0,
      synthesizedCharacters,
    };
  }

  private async clip(text: string, request: SpeechRequest, signal?: AbortSignal) {
    const cacheKey = hash(['clip', CLIP_VERSION, this.synthesizer.name, request.voiceId, request.speed, text]);
    const cached = await this.cache.find(cacheKey);
    if (cached) {
      return { clip: cached, synthesized: false };
    }
    const clip = await withTempDir('clip', async (dir) => {
      const raw = join(dir, 'raw');
      await this.synthesizer.synthesize({ text, voiceId: request.voiceId, speed: request.speed }, raw, signal);
      // A complete 16-bit PCM WAV (espeak-ng's) is stored as it is; anything else is converted.
      let wav = raw;
      let pcm = await this.media.readPcmWav(raw);
      if (!pcm) {
        wav = join(dir, 'clip.wav');
        await this.media.ffmpeg(buildClipArgs(raw, wav), { signal });
        pcm = await this.media.readPcmWav(wav);
      }
      const durationMs = pcm ? Math.round(pcmDurationMs(pcm)) : (await this.media.probe(wav, signal)).durationMs;
      const stored = await this.storage.putFile(`speech/clips/${cacheKey}.wav`, wav, {
        contentType: 'audio/wav',
        move: true,
      });
      return this.cache.save({
        cacheKey,
        kind: 'clip',
        storageKey: stored.key,
        durationMs,
        sizeBytes: stored.sizeBytes,
        etag: stored.etag,
        sentences: null,
      });
    });
    return { clip, synthesized: true };
  }

  private async track(
    texts: string[],
    clips: SpeechCacheEntity[],
    format: TrackFormat,
    signal?: AbortSignal,
    onTimed?: (timing: NarrationTiming) => void,
  ): Promise<SpeechCacheEntity> {
    const kind = format === 'wav' ? 'pcm-track' : 'track';
    const cacheKey = hash([kind, TRACK_VERSION, SENTENCE_PAUSE_MS, clips.map((clip) => clip.cacheKey)]);
    const cached = await this.cache.find(cacheKey);
    if (cached) {
      onTimed?.({ durationMs: cached.durationMs, sentences: cached.sentences ?? [] });
      return cached;
    }
    const sentences = timeSentences(texts, clips);
    const last = sentences[sentences.length - 1];
    const durationMs = last ? last.startMs + last.durationMs : 0;
    onTimed?.({ durationMs, sentences });
    return withTempDir('track', async (dir) => {
      const paths = await Promise.all(
        clips.map(async (clip, i) => {
          const path = join(dir, `clip-${i}.wav`);
          await this.storage.copyToFile(clip.storageKey, path);
          return path;
        }),
      );
      const pcm = await Promise.all(paths.map((path) => this.media.readPcmWav(path)));
      const decoded = pcm.filter((audio): audio is PcmAudio => audio !== undefined);
      const gainDb = normalisingGainDb(integratedLoudness(decoded), SPEECH_TARGET_LUFS);
      const output = join(dir, `track.${format}`);
      const joined =
        format === 'wav' && decoded.length === clips.length ? joinClips(decoded, SENTENCE_PAUSE_MS, gainDb) : undefined;
      if (joined) {
        await writeFile(output, encodeFloatWav(joined));
      } else {
        await this.media.ffmpeg(buildTrackArgs(paths, SENTENCE_PAUSE_MS, gainDb, output, format), {
          signal,
          durationMs,
        });
      }
      const stored = await this.storage.putFile(`speech/tracks/${cacheKey}.${format}`, output, {
        contentType: format === 'wav' ? 'audio/wav' : 'audio/mp4',
        move: true,
      });
      return this.cache.save({
        cacheKey,
        kind: 'track',
        storageKey: stored.key,
        durationMs,
        sizeBytes: stored.sizeBytes,
        etag: stored.etag,
        sentences,
      });
    });
  }
}

/** Each sentence starts where the previous one (plus its pause) ended. */
export function timeSentences(texts: string[], clips: Pick<SpeechCacheEntity, 'durationMs'>[]): TrackSentence[] {
  let startMs = 0;
  return texts.map((text, i) => {
    const sentence = { text, startMs, durationMs: clips[i].durationMs };
    startMs += clips[i].durationMs + SENTENCE_PAUSE_MS;
    return sentence;
  });
}
