/** What the render builders need to know; plain data, no I/O. */

export type RenderQuality = 'draft' | 'standard' | 'high';
export type SubtitlePosition = 'bottom' | 'center' | 'top';
export type Transition = 'none' | 'fade' | 'slide';

export interface SubtitleStyle {
  fontSize: number;
  /** #RRGGBB */
  primaryColor: string;
  /** #RRGGBB */
  outlineColor: string;
  position: SubtitlePosition;
}

export interface RenderTemplate {
  width: number;
  height: number;
  fps: number;
  fontFamily: string;
  subtitleStyle: SubtitleStyle;
  transition: Transition;
  transitionMs: number;
  /** 0–1, music level under the voice before ducking. */
  musicVolume: number;
  kenBurns: boolean;
}

export type SceneVisual =
  | { kind: 'image'; path: string; width: number; height: number }
  | { kind: 'video'; path: string; width: number; height: number; durationMs: number }
  | {
      kind: 'title-card';
      text: string;
      /** #RRGGBB */
      background: string;
      /** The .ass file holding the card's text, written from `buildTitleCardAss(text, template)`. */
      titleAssPath: string;
    };

export interface SubtitleCue {
  startMs: number;
  endMs: number;
  text: string;
}

/** One scene's video-only segment. */
export interface SegmentSpec {
  index: number;
  /** Exact length of the segment (the scene's narration plus its tail). */
  durationMs: number;
  visual: SceneVisual;
  /** An .ass file with cues timed from the segment's start, or undefined for no subtitles. */
  subtitlesPath?: string;
  /**
   * The cues `subtitlesPath` was written from, exactly as passed to
   * `buildAss(cues, template, { playResX: template.width, playResY: template.height })` (ms from the
   * segment's start). A still scene then draws its subtitles once per change instead of every frame;
   * without them it is filtered frame by frame. Ignored when `subtitlesPath` is unset.
   */
  subtitleCues?: SubtitleCue[];
  /** A folder with extra fonts for libass (optional; fontconfig finds system fonts). */
  fontsDir?: string;
  template: RenderTemplate;
  quality: RenderQuality;
  /**
   * Encoder threads; unset lets x264 choose (about 1.5 per core). Set when several segments encode
   * at once: one thread per encode per core spares x264's frame-thread overhead.
   */
  threads?: number;
  /** Also write the frame at `atMs` as a JPEG to `path` (the video's poster, from its first scene). */
  thumbnail?: { path: string; atMs: number };
}

/** One scene's narration placed on the final timeline. */
export interface NarrationPlacement {
  path: string;
  startMs: number;
  durationMs: number;
}

/** The whole video's audio track, mixed on its own (while the segments encode). */
export interface AudioMixSpec {
  narration: NarrationPlacement[];
  /** Looped under the narration and ducked while it speaks. */
  musicPath?: string;
  /** 0–1, the music level before ducking. */
  musicVolume: number;
  durationMs: number;
  /** Float WAV. */
  output: string;
  /** Where ebur128's integrated loudness is logged (see `parseIntegratedLoudness`). */
  loudnessLog: string;
}

/** The mixed PCM → the video's AAC track. */
export interface AudioMasterSpec {
  input: string;
  /** What the mix measured; undefined for none (no gain). */
  measuredLufs: number | undefined;
  quality: RenderQuality;
  /** Music is mixed under the voice (the channels differ). */
  withMusic: boolean;
  output: string;
}

/** Joined segments + an already mixed audio track, both copied. */
export interface MuxSpec {
  concatListPath: string;
  audioPath: string;
  durationMs: number;
  output: string;
}
