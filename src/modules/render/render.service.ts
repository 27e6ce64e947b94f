import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { Deferred, deferred } from 'src/common/utils/deferred';
import { withTempDir } from 'src/common/utils/temp-dir';
import {
  buildAudioMasterArgs,
  buildAudioMixArgs,
  buildConcatList,
  buildMuxArgs,
  buildThumbnailArgs,
} from 'src/media/render/assembly-command.builder';
import { NarrationPlacement, RenderQuality, RenderTemplate, SubtitleCue } from 'src/media/render/render.types';
import type { SceneVisual, SegmentSpec } from 'src/media/render/render.types';
import { buildSegmentCommand } from 'src/media/render/segment-command.builder';
import { layOnTimeline } from 'src/media/audio/pcm-timeline';
import { encodeFloatWav } from 'src/media/ffmpeg/wav';
import { buildAss } from 'src/media/subtitles/ass.builder';
import { buildVtt } from 'src/media/subtitles/vtt.builder';
import { FfmpegRunOptions, MediaRepository, StartedFfmpeg } from 'src/media/media.repository';
import type { MediaInfo } from 'src/media/ffmpeg/probe.parser';
import { UnsupportedMp4Error } from 'src/media/mp4/mp4-boxes';
import { joinMp4 } from 'src/media/mp4/mp4-join';
import { AssetsRepository } from 'src/modules/assets/assets.repository';
import type { SceneEntity } from 'src/modules/projects/entities/scene.entity';
import { ProjectsRepository } from 'src/modules/projects/projects.repository';
import { ProjectsService, RenderableProject } from 'src/modules/projects/projects.service';
import { segmentObjectKeys, segmentStorageKeys } from 'src/modules/projects/segment-storage';
import {
  absoluteCues,
  contentHash,
  narrationPlacements,
  PlannedScene,
  planScene,
  planTimeline,
  SceneTiming,
  VoicedScene,
} from 'src/modules/render/render-plan';
import { RenderProgress } from 'src/modules/render/render-progress';
import { ResolvedVisual, SceneVisualResolver } from 'src/modules/render/scene-visual.resolver';
import { TaskFailure } from 'src/modules/tasks/task.errors';
import { toRenderTemplate } from 'src/modules/templates/render-template';
import { videoStorageKeys } from 'src/modules/videos/video-storage';
import { VideosService } from 'src/modules/videos/videos.service';
import { SpeechService } from 'src/modules/voice/speech.service';
import { SpeechSynthesizer } from 'src/providers/ai/speech-synthesizer.provider';
import { StorageDriver, StoredObject } from 'src/storage/storage.driver';

// Bump when segment rendering changes, so cached segments are rebuilt.
const SEGMENT_VERSION = 1;
// Two ffmpeg segment encodes at a time fill both cores (MEDIA.md: 15 s vs 19 s one at a time).
const SEGMENT_CONCURRENCY = 2;
// The joined output may differ from the plan by a frame or an AAC priming delay, not more.
const DURATION_TOLERANCE_MS = 150;

export type Progress = (fraction: number, stage: string) => Promise<void>;

/** The poster: a second into the video, or halfway through a shorter first scene. */
const posterAtMs = (firstSceneMs: number) => Math.min(1000, firstSceneMs / 2);

export interface RenderRequest {
  projectId: string;
  videoId: string;
  quality: RenderQuality;
}

/** Runs `work` over items with at most `limit` at once, in order of start. */
async function inBatches<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      await work(items[next++]);
    }
  });
  await Promise.all(lanes);
}

/** Promises settled one after another, each started when the previous one ends (results in order). */
function inSequence<T, R>(items: readonly T[], work: (item: T, index: number) => Promise<R>): Promise<R>[] {
  const results: Promise<R>[] = [];
  items.forEach((item, i) => {
    const previous = i === 0 ? Promise.resolve() : results[i - 1].then(() => undefined);
    const result = previous.then(() => work(item, i));
    // Whoever awaits a result sees its failure; one nobody reaches (after an abort) is not "unhandled".
    result.catch(() => undefined);
    results.push(result);
  });
  return results;
}

/** A segment encoder started before its scene was voiced, and the argv it was started with. */
interface EarlyEncoder {
  args: string[];
  encoder: StartedFfmpeg;
}

/** One scene as the encoder needs it: its length and cues, known once it is voiced. */
interface SceneWork {
  index: number;
  durationMs: number;
  cues: SubtitleCue[];
}

/**
 * Voice → visuals → one segment per scene (cached per scene by a hash of all it depends on) →
 * copy-join + one mixed audio track → checked with ffprobe → stored. Only what changed is rebuilt.
 *
 * The steps overlap: a scene's segment starts encoding as soon as that scene is voiced (voicing the
 * rest goes on meanwhile), the audio is mixed once every scene is voiced, and the thumbnail comes
 * from the first segment, so the last step only copies streams and checks the result.
 */
@Injectable()
export class RenderService {
  private readonly logger = new Logger(RenderService.name);

  constructor(
    private readonly projects: ProjectsService,
    private readonly projectRows: ProjectsRepository,
    private readonly videos: VideosService,
    private readonly speech: SpeechService,
    private readonly synthesizer: SpeechSynthesizer,
    private readonly visuals: SceneVisualResolver,
    private readonly assets: AssetsRepository,
    private readonly storage: StorageDriver,
    private readonly media: MediaRepository,
  ) {}

  async render(
    request: RenderRequest,
    signal: AbortSignal,
    progress: Progress,
  ): Promise<{ videoId: string; durationMs: number }> {
    const loaded = await this.projects.loadForRender(request.projectId);
    if (!loaded) {
      throw TaskFailure.permanent('PROJECT_NOT_FOUND', 'The project no longer exists');
    }
    if (loaded.scenes.length === 0) {
      throw TaskFailure.permanent('PROJECT_EMPTY', 'The project has no scenes to render');
    }
    const template = toRenderTemplate(loaded.template);
    const voiceId = this.voiceIdFor(loaded);
    const threads = this.encoderThreads(loaded, voiceId);
    const tracker = new RenderProgress(loaded.scenes.length);
    // Reports from overlapping steps are sent one after another, so the row never goes backwards.
    let reported = Promise.resolve();
    const report = () => (reported = reported.then(() => progress(tracker.fraction * 0.95, tracker.stage)));
    return withTempDir('render', async (dir) => {
      // Every step is aborted as soon as one fails, and all are settled before the folder goes.
      const failed = new AbortController();
      const steps = AbortSignal.any([signal, failed.signal]);
      const started: Promise<unknown>[] = [];
      const step = <T>(promise: Promise<T>): Promise<T> => {
        started.push(promise);
        promise.catch(() => failed.abort());
        return promise;
      };
      // The first segment's length and poster frame (written by its encode or kept with it), if any.
      const firstSegment = deferred<{ durationMs: number; poster?: string }>();
      // Segment encoders started before their scenes are voiced, by scene.
      const earlyEncoders = new Map<number, Promise<EarlyEncoder>>();
      // The joined video, for its check (see below).
      const finalFile = deferred<string>();
      finalFile.promise.catch(() => undefined);
      try {
        // A scene's timing is known before its track is stored: its segment is planned from it.
        const timed = loaded.scenes.map(() => deferred<SceneTiming>());
        const voiced = inSequence(loaded.scenes, (scene, i) =>
          step(this.voiceScene(scene, voiceId, steps, timed[i].resolve)).then(async (voicedScene) => {
            tracker.set('voice', i, 1);
            await report();
            return voicedScene;
          }),
        );
        const visuals = inSequence(loaded.scenes, (scene, i) =>
          step(this.visuals.resolve(scene, template, dir, steps)).then(async (visual) => {
            tracker.set('visuals', i, 1);
            await report();
            return visual;
          }),
        );
        const plan = step(Promise.all(voiced).then((all) => planTimeline(all, template.fps)));
        const audio = step(plan.then((p) => this.mixAudio(loaded, template, request.quality, p, dir, steps)));
        // The check's ffprobe loads once every scene is voiced (beside the encodes, off the critical
        // path: ~60 ms of start-up) and waits for the file.
        const check = {
          finalFile,
          probed: step(plan.then(() => this.media.probeWhenWritten(finalFile.promise, steps))),
        };
        const segmentPaths = loaded.scenes.map((_, i) => join(dir, `segment-${i}.mp4`));
        const segmentAt = (i: number) => ({
          threads,
          path: segmentPaths[i],
          poster: i === 0 ? join(dir, 'thumbnail.jpg') : undefined,
          dir,
          signal: steps,
        });
        // The encoders of scenes likely to be encoded are started early, loading while the scenes
        // are voiced: the first ones (a lane each) at once, the others when a lane takes them.
        const startEarly = (i: number) => {
          const started = visuals[i].then((v) =>
            this.startEarlyEncoder(template, request.quality, loaded.scenes[i], i, v.visual, segmentAt(i)),
          );
          // A visual that fails is the lane's (or the render's) to report.
          started.catch(() => undefined);
          earlyEncoders.set(i, started);
        };
        const expected = loaded.scenes.flatMap((scene, i) => (this.expectsEncode(scene, voiceId) ? [i] : []));
        expected.slice(0, SEGMENT_CONCURRENCY).forEach(startEarly);
        // Encoded segments are stored for later renders while the video is assembled.
        const keeping: Promise<void>[] = [];
        const thumbnail = step(
          firstSegment.promise.then(
            ({ durationMs, poster }) => poster ?? this.thumbnail(segmentPaths[0], durationMs, dir, steps),
          ),
        );
        await step(
          inBatches(
            loaded.scenes.map((_, i) => i),
            SEGMENT_CONCURRENCY,
            async (i) => {
              const visual = await visuals[i];
              const at = segmentAt(i);
              if (!earlyEncoders.has(i) && expected.includes(i)) {
                startEarly(i);
              }
              const early = await earlyEncoders.get(i);
              try {
                const timing = await Promise.race([timed[i].promise, voiced[i]]);
                const scene = { index: i, ...planScene(timing, template.fps) };
                const onProgress = (f: number) => {
                  tracker.set('compose', i, f);
                  void report().catch(() => undefined);
                };
                const made = await this.renderSegment(loaded, template, request.quality, scene, visual, {
                  ...at,
                  onProgress,
                  early,
                });
                keeping.push(step(made.kept));
                tracker.set('compose', i, 1);
                if (i === 0) {
                  firstSegment.resolve({ durationMs: scene.durationMs, poster: made.poster });
                }
                // Sent in order; awaited before the end, not before the next step.
                void report().catch(() => undefined);
              } finally {
                // Unused (the segment was reused, or its argv came out different) or failed: gone
                // before the lane moves on. After a run it has ended already.
                await early?.encoder.stop();
              }
            },
          ),
        );
        const timeline = await plan;
        const output = await this.mux(template, request, timeline, segmentPaths, await audio, dir, steps, check);
        await Promise.all(keeping);
        await reported;
        return await this.finish(loaded, request, timeline, { ...output, thumbnail: await thumbnail }, progress);
      } catch (error) {
        failed.abort();
        firstSegment.reject(error);
        finalFile.reject(error);
        await Promise.allSettled(started);
        // Early encoders no lane got to (a lane stops its own).
        await Promise.allSettled([...earlyEncoders.values()].map((early) => early.then((e) => e.encoder.stop())));
        throw error;
      }
    });
  }

  /** The video's poster frame, read from the first segment when it came without one (an older one). */
  private async thumbnail(segmentPath: string, durationMs: number, dir: string, signal: AbortSignal) {
    const path = join(dir, 'thumbnail.jpg');
    await this.ffmpeg(buildThumbnailArgs(segmentPath, posterAtMs(durationMs), path), signal);
    return path;
  }

  private async finish(
    loaded: RenderableProject,
    request: RenderRequest,
    plan: { scenes: PlannedScene[]; durationMs: number },
    output: { path: string; thumbnail: string; durationMs: number },
    progress: Progress,
  ): Promise<{ videoId: string; durationMs: number }> {
    await progress(0.97, 'upload');
    const keys = videoStorageKeys(loaded.project.ownerId, request.videoId);
    const stored = await this.store(keys, output, loaded.project.subtitles ? absoluteCues(plan.scenes) : null);
    const ready = await this.videos.markReady(request.videoId, { ...stored, durationMs: output.durationMs });
    if (!ready) {
      // The video was deleted while rendering: keep nothing.
      const objects = [stored.file, stored.thumbnail, stored.subtitles].filter((o): o is StoredObject => o !== null);
      await Promise.all(objects.map((o) => this.storage.delete(o.key)));
      throw TaskFailure.permanent('VIDEO_DELETED', 'The video was deleted while it was rendering');
    }
    await this.projects.setLatestVideo(request.projectId, request.videoId);
    return { videoId: request.videoId, durationMs: output.durationMs };
  }

  private voiceIdFor(loaded: RenderableProject): string {
    const voiceId = loaded.project.voiceId ?? this.synthesizer.defaultVoiceFor(loaded.project.language);
    if (!voiceId) {
      throw TaskFailure.permanent('VOICE_UNAVAILABLE', `No voice speaks ${loaded.project.language}`);
    }
    return voiceId;
  }

  private voiceKeyFor(scene: SceneEntity, voiceId: string): string {
    return contentHash([this.synthesizer.name, voiceId, 1, scene.narration]);
  }

  /**
   * x264 threads per segment encode. When several segments will encode at once (a first render, or
   * many edits), one thread per lane per core: on 2 cores two single-threaded encodes finish ~8 %
   * sooner than two at x264's default (frame threads, more memory). A lone re-encoded scene keeps
   * the default so it still uses every core. Guessed before voicing: a scene whose narration is
   * unchanged and that has a segment is expected to reuse it.
   */
  private encoderThreads(loaded: RenderableProject, voiceId: string): number | undefined {
    const expected = loaded.scenes.filter((scene) => this.expectsEncode(scene, voiceId)).length;
    return expected >= SEGMENT_CONCURRENCY
      ? Math.max(1, Math.floor(availableParallelism() / SEGMENT_CONCURRENCY))
      : undefined;
  }

  /** A guess made before voicing: a scene with unchanged narration and a segment will reuse it. */
  private expectsEncode(scene: SceneEntity, voiceId: string): boolean {
    return !(scene.voiceKey === this.voiceKeyFor(scene, voiceId) && scene.segmentHash);
  }

  /**
   * Starts a scene's segment encoder before the scene is voiced. Its argv does not depend on the
   * scene's length or words (they go into the graph), except for a clip's looping, which is
   * guessed from the scene's previous length; `renderSegment` checks the argv before using it.
   */
  private startEarlyEncoder(
    template: RenderTemplate,
    quality: RenderQuality,
    entity: SceneEntity,
    index: number,
    visual: SceneVisual,
    at: { threads?: number; path: string; poster?: string; signal: AbortSignal },
  ): EarlyEncoder {
    const guess = { index, durationMs: entity.durationMs ?? 1000, cues: [] };
    const { args } = buildSegmentCommand(this.segmentSpec(template, quality, guess, visual, at), at.path);
    return { args, encoder: this.media.startFfmpeg(args, { signal: at.signal }) };
  }

  private segmentSpec(
    template: RenderTemplate,
    quality: RenderQuality,
    scene: SceneWork,
    visual: SceneVisual,
    at: { threads?: number; poster?: string },
    subtitlesPath?: string,
  ): SegmentSpec {
    return {
      index: scene.index,
      durationMs: scene.durationMs,
      visual,
      subtitlesPath,
      subtitleCues: scene.cues,
      template,
      quality,
      threads: at.threads,
      thumbnail: at.poster ? { path: at.poster, atMs: posterAtMs(scene.durationMs) } : undefined,
    };
  }

  /**
   * Voices a scene through the content-addressed speech cache; unchanged narration costs nothing.
   * `onTimed` learns the scene's timing as soon as it is known, before the track is stored.
   */
  private async voiceScene(
    scene: SceneEntity,
    voiceId: string,
    signal: AbortSignal,
    onTimed: (timing: SceneTiming) => void,
  ): Promise<VoicedScene> {
    const voiceKey = this.voiceKeyFor(scene, voiceId);
    if (scene.voiceKey === voiceKey && scene.voiceTrackKey && scene.durationMs !== null && scene.sentences) {
      const voiced = { narrationKey: scene.voiceTrackKey, narrationMs: scene.durationMs, sentences: scene.sentences };
      onTimed(voiced);
      return voiced;
    }
    // Float WAV, joined in-process: it is only ever mixed, so no AAC encode per scene.
    const track = await this.speech.narrate({ text: scene.narration, voiceId, speed: 1 }, signal, undefined, {
      format: 'wav',
      onTimed: ({ durationMs, sentences }) => onTimed({ narrationMs: durationMs, sentences }),
    });
    await this.projectRows.recordSceneVoice(scene.id, scene.narrationHash, {
      voiceKey,
      trackKey: track.storageKey,
      durationMs: track.durationMs,
      sentences: track.sentences,
    });
    return { narrationKey: track.storageKey, narrationMs: track.durationMs, sentences: track.sentences };
  }

  /**
   * One scene's segment at `path`: reused when its inputs' hash matches, else encoded; `kept`
   * settles once an encoded one is stored for later renders (the video need not wait for that).
   * Asked for a `poster`, the encode writes that frame there too, and a reuse copies the one kept
   * with the segment; `poster` is its path when there is one.
   */
  private async renderSegment(
    loaded: RenderableProject,
    template: RenderTemplate,
    quality: RenderQuality,
    scene: SceneWork,
    visual: ResolvedVisual,
    at: {
      threads?: number;
      path: string;
      poster?: string;
      dir: string;
      signal: AbortSignal;
      onProgress: (f: number) => void;
      early?: EarlyEncoder;
    },
  ): Promise<{ poster?: string; kept: Promise<void> }> {
    const { path, poster, dir, signal } = at;
    const entity = loaded.scenes[scene.index];
    const cues = loaded.project.subtitles ? scene.cues : [];
    const hash = contentHash([
      SEGMENT_VERSION,
      template,
      quality,
      visual.identity,
      scene.durationMs,
      cues,
      scene.index > 0,
    ]);
    const keys = segmentStorageKeys(entity.id, hash);
    if (await this.reuseSegment(entity, hash, path)) {
      const kept = Promise.resolve();
      return poster && (await this.storage.exists(keys.poster))
        ? this.storage.copyToFile(keys.poster, poster).then(() => ({ poster, kept }))
        : { kept };
    }
    const subtitlesPath = cues.length > 0 ? await this.writeAss(cues, template, dir, scene.index) : undefined;
    const spec = this.segmentSpec(template, quality, { ...scene, cues }, visual.visual, at, subtitlesPath);
    const { args, graph } = buildSegmentCommand(spec, path);
    const { early } = at;
    const ready = early && early.args.length === args.length && early.args.every((arg, i) => arg === args[i]);
    if (early && !ready) {
      void early.encoder.stop();
    }
    const encoder = ready ? early.encoder : this.media.startFfmpeg(args, { signal });
    await this.checked(encoder.run(graph, { durationMs: scene.durationMs, onProgress: at.onProgress }), signal);
    return { poster, kept: this.keepSegment(entity.id, hash, path, poster) };
  }

  /** Stores an encoded segment (and its poster) and points the scene at it, freeing what it replaces. */
  private async keepSegment(sceneId: string, hash: string, path: string, poster: string | undefined) {
    const keys = segmentStorageKeys(sceneId, hash);
    const stored = await this.storage.putFile(keys.file, path, { contentType: 'video/mp4' });
    if (poster) {
      await this.storage.putFile(keys.poster, poster, { contentType: 'image/jpeg' });
    }
    const replaced = await this.projectRows.recordSegment(sceneId, { hash, storageKey: stored.key });
    if (replaced === undefined || (replaced && replaced !== stored.key)) {
      await Promise.all(segmentObjectKeys(replaced ?? stored.key).map((key) => this.storage.delete(key)));
    }
  }

  private async reuseSegment(scene: SceneEntity, hash: string, path: string): Promise<boolean> {
    if (scene.segmentHash !== hash || !scene.segmentKey || !(await this.storage.exists(scene.segmentKey))) {
      return false;
    }
    await this.storage.copyToFile(scene.segmentKey, path);
    return true;
  }

  private async writeAss(cues: SubtitleCue[], template: RenderTemplate, dir: string, index: number): Promise<string> {
    const path = join(dir, `subtitles-${index}.ass`);
    await writeFile(path, buildAss(cues, template, { playResX: template.width, playResY: template.height }), 'utf8');
    return path;
  }

  private async mixAudio(
    loaded: RenderableProject,
    template: RenderTemplate,
    quality: RenderQuality,
    plan: { scenes: PlannedScene[]; durationMs: number },
    dir: string,
    signal: AbortSignal,
  ): Promise<string> {
    const narration = await this.narrationBed(plan, dir);
    const musicPath = await this.music(loaded, dir);
    const mixed = join(dir, 'audio.wav');
    const loudnessLog = join(dir, 'loudness.log');
    const mix = {
      narration,
      musicPath,
      musicVolume: template.musicVolume,
      durationMs: plan.durationMs,
      output: mixed,
      loudnessLog,
    };
    // The audio yields the CPU to segment encodes: it has until the last one ends (alone, nice is moot).
    const run = { durationMs: plan.durationMs, background: true };
    await this.ffmpeg(buildAudioMixArgs(mix), signal, run);
    const output = join(dir, 'audio.m4a');
    const measuredLufs = await this.media.loggedLoudness(loudnessLog);
    const master = { input: mixed, measuredLufs, quality, withMusic: musicPath !== undefined, output };
    await this.ffmpeg(buildAudioMasterArgs(master), signal, run);
    return output;
  }

  /**
   * The scenes' narration tracks as the mix takes them: laid on one timeline in-process when all
   * are PCM WAV at one rate (the renders' own tracks), else placed by ffmpeg (e.g. older AAC ones).
   */
  private async narrationBed(
    plan: { scenes: PlannedScene[]; durationMs: number },
    dir: string,
  ): Promise<NarrationPlacement[]> {
    const placements = narrationPlacements(plan.scenes, (scene) => join(dir, `narration-${scene.index}`));
    await Promise.all(plan.scenes.map((scene, i) => this.storage.copyToFile(scene.narrationKey, placements[i].path)));
    const tracks = await Promise.all(placements.map((placement) => this.media.readPcmWav(placement.path)));
    const bed = tracks.every((track) => track !== undefined)
      ? layOnTimeline(
          placements.map((placement, i) => ({ ...placement, audio: tracks[i] })),
          plan.durationMs,
        )
      : undefined;
    if (!bed) {
      return placements;
    }
    const path = join(dir, 'narration.wav');
    await writeFile(path, encodeFloatWav(bed));
    return [{ path, startMs: 0, durationMs: plan.durationMs }];
  }

  /**
   * Segments + audio → the MP4 at `output`: joined in-process (`joinMp4`, ~10 ms), or by ffmpeg's
   * concat demuxer for inputs the in-process join does not take (logged).
   */
  private async join(
    segmentPaths: string[],
    audioPath: string,
    durationMs: number,
    output: string,
    dir: string,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      await joinMp4({ segmentPaths, audioPath, durationMs, output });
      return;
    } catch (error) {
      if (!(error instanceof UnsupportedMp4Error)) {
        throw error;
      }
      this.logger.warn(`Joining with ffmpeg instead: ${error.message}`);
    }
    const concatListPath = join(dir, 'segments.ffconcat');
    await writeFile(concatListPath, buildConcatList(segmentPaths), 'utf8');
    await this.ffmpeg(buildMuxArgs({ concatListPath, audioPath, durationMs, output }), signal, { durationMs });
  }

  /** Segments + mixed audio → the MP4, checked with ffprobe before anything is kept. */
  private async mux(
    template: RenderTemplate,
    request: RenderRequest,
    plan: { durationMs: number },
    segmentPaths: string[],
    audioPath: string,
    dir: string,
    signal: AbortSignal,
    check: { finalFile: Deferred<string>; probed: Promise<MediaInfo> },
  ) {
    const output = join(dir, 'video.mp4');
    await this.join(segmentPaths, audioPath, plan.durationMs, output, dir, signal);
    check.finalFile.resolve(output);
    const info = await check.probed;
    const sane =
      info.video?.codec === 'h264' &&
      info.audio?.codec === 'aac' &&
      info.video.width === template.width &&
      info.video.height === template.height &&
      Math.abs(info.durationMs - plan.durationMs) <= DURATION_TOLERANCE_MS;
    if (!sane) {
      this.logger.error(
        `Render check failed for video ${request.videoId}: ${JSON.stringify(info)} vs ${plan.durationMs} ms`,
      );
      throw TaskFailure.permanent('RENDER_CHECK_FAILED', 'The rendered video did not come out as planned');
    }
    return { path: output, durationMs: info.durationMs };
  }

  private async music(loaded: RenderableProject, dir: string): Promise<string | undefined> {
    if (!loaded.project.musicAssetId) {
      return undefined;
    }
    const asset = await this.assets.findById(loaded.project.musicAssetId);
    if (!asset || asset.kind !== 'audio') {
      return undefined;
    }
    const path = join(dir, 'music');
    await this.storage.copyToFile(asset.storageKey, path);
    return path;
  }

  private async store(
    keys: ReturnType<typeof videoStorageKeys>,
    output: { path: string; thumbnail: string },
    cues: SubtitleCue[] | null,
  ) {
    const file = await this.storage.putFile(keys.file, output.path, { contentType: 'video/mp4', move: true });
    const thumbnail = await this.storage.putFile(keys.thumbnail, output.thumbnail, {
      contentType: 'image/jpeg',
      move: true,
    });
    let subtitles: StoredObject | null = null;
    if (cues) {
      const vtt = `${output.path}.vtt`;
      await writeFile(vtt, buildVtt(cues), 'utf8');
      subtitles = await this.storage.putFile(keys.subtitles, vtt, { contentType: 'text/vtt', move: true });
    }
    return { file, thumbnail, subtitles };
  }

  /** ffmpeg failures are permanent: the same inputs would fail again (corrupt media, bad graph). */
  private ffmpeg(args: string[], signal: AbortSignal, options: Omit<FfmpegRunOptions, 'signal'> = {}) {
    return this.checked(this.media.ffmpeg(args, { ...options, signal }), signal);
  }

  /** An ffmpeg run's failure as the task's: the stop when aborted, else a media error (logged). */
  private async checked(run: Promise<void>, signal: AbortSignal): Promise<void> {
    try {
      await run;
    } catch (error) {
      if (signal.aborted) {
        throw error;
      }
      this.logger.error(`ffmpeg failed: ${(error as { stderr?: string }).stderr ?? (error as Error).message}`);
      throw TaskFailure.permanent('MEDIA_PROCESSING_FAILED', 'A media file could not be processed (it may be corrupt)');
    }
  }
}
