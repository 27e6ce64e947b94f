import { createHash } from 'node:crypto';
import { SCENE_TAIL_MS } from 'src/common/narration-timing';
import type { TrackSentence } from 'src/modules/voice/entities/speech-cache.entity';
import type { NarrationPlacement, SubtitleCue } from 'src/media/render/render.types';
import { segmentDurationMs } from 'src/media/render/segment-command.builder';

/** A scene is on screen at least this long, even with very short narration. */
export const MIN_SCENE_MS = 2000;

/** A voiced scene's length and sentence times: all its segment needs. */
export interface SceneTiming {
  narrationMs: number;
  sentences: TrackSentence[];
}

export interface VoicedScene extends SceneTiming {
  narrationKey: string;
}

export interface PlannedScene extends VoicedScene {
  index: number;
  startMs: number;
  durationMs: number;
  /** Cues timed from the scene's own start (for its segment's burned-in subtitles). */
  cues: SubtitleCue[];
}

/** Narration plus its tail, at least MIN_SCENE_MS, in whole frames so video and audio stay aligned. */
export const sceneDurationMs = (narrationMs: number, fps: number) =>
  segmentDurationMs(Math.max(MIN_SCENE_MS, narrationMs + SCENE_TAIL_MS), fps);

/** One voiced scene's own length and subtitle cues (timed from its start); no neighbours needed. */
export function planScene(scene: SceneTiming, fps: number): { durationMs: number; cues: SubtitleCue[] } {
  return {
    durationMs: sceneDurationMs(scene.narrationMs, fps),
    cues: scene.sentences.map((s) => ({ startMs: s.startMs, endMs: s.startMs + s.durationMs, text: s.text })),
  };
}

/** Lays voiced scenes end to end and times each sentence as a subtitle cue. */
export function planTimeline(scenes: VoicedScene[], fps: number): { scenes: PlannedScene[]; durationMs: number } {
  let startMs = 0;
  const planned = scenes.map((scene, index) => {
    const plannedScene = { ...scene, index, startMs, ...planScene(scene, fps) };
    startMs += plannedScene.durationMs;
    return plannedScene;
  });
  return { scenes: planned, durationMs: startMs };
}

/** Every cue on the whole video's clock, for the WebVTT file. */
export function absoluteCues(scenes: PlannedScene[]): SubtitleCue[] {
  return scenes.flatMap((scene) =>
    scene.cues.map((cue) => ({ ...cue, startMs: cue.startMs + scene.startMs, endMs: cue.endMs + scene.startMs })),
  );
}

export function narrationPlacements(
  scenes: PlannedScene[],
  pathOf: (scene: PlannedScene) => string,
): NarrationPlacement[] {
  return scenes.map((scene) => ({ path: pathOf(scene), startMs: scene.startMs, durationMs: scene.narrationMs }));
}

/** A stable key for everything that shapes a segment; equal inputs reuse the rendered segment. */
export function contentHash(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
