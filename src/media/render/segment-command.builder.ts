import { FFMPEG_COMMON, fileInput, JPEG_FRAME } from 'src/media/ffmpeg/ffmpeg-args';
import { escapeFilterValue, lavfiColor } from 'src/media/render/filter-syntax';
import { videoEncoderArgs } from 'src/media/render/render-presets';
import type { RenderTemplate, SceneVisual, SegmentSpec, SubtitleCue } from 'src/media/render/render.types';
import {
  layoutCues,
  outlineFor,
  renderAssDocument,
  subtitleMargins,
  wrapOptionsFor,
} from 'src/media/subtitles/ass.builder';
import { wrapBalanced } from 'src/media/subtitles/subtitle-wrap';

/** A Ken Burns pan needs room to move: the picture is scaled once to 110 % and a crop glides over it. */
export const KEN_BURNS_SCALE = 1.1;
/** Title-card text relative to the template's subtitle size. */
export const TITLE_FONT_SCALE = 1.25;
const TITLE_SHOWN_MS = 3_600_000;
const LOOP_MARGIN_MS = 1000;
/** More runs than this and a still is filtered frame by frame: the graph would outgrow the saving. */
export const MAX_STILL_INTERVALS = 64;

/** Frames [start, end) of a still that look alike; a `fade` run is filtered frame by frame. */
export interface FrameInterval {
  start: number;
  end: number;
  fade?: 'in' | 'out';
}

/** Frames in a segment: the duration rounded to whole frames (at least one). */
export const segmentFrameCount = (durationMs: number, fps: number): number =>
  Math.max(1, Math.round((durationMs * fps) / 1000));

/** The segment's real length once rounded to whole frames, for laying out the final timeline. */
export const segmentDurationMs = (durationMs: number, fps: number): number =>
  (segmentFrameCount(durationMs, fps) * 1000) / fps;

// Rounded first: 180 × 1.1 is 198.00000000000003 in floating point.
const even = (n: number) => 2 * Math.ceil(Math.round(n) / 2);

function assertRenderable(spec: SegmentSpec): void {
  const { width, height, fps } = spec.template;
  if (![width, height].every((n) => Number.isInteger(n) && n > 0 && n % 2 === 0)) {
    throw new Error(`yuv420p needs an even frame size, got ${width}×${height}`);
  }
  if (!Number.isInteger(fps) || fps <= 0) {
    throw new Error(`the frame rate must be a whole number, got ${fps}`);
  }
  if (!(spec.durationMs > 0)) {
    throw new Error(`a segment needs a positive duration, got ${spec.durationMs}`);
  }
}

/** Frames of the slide-in; the first segment opens on its picture, never on black. */
function slideFrames(spec: SegmentSpec, frames: number): number {
  if (spec.template.transition !== 'slide' || spec.index === 0) {
    return 0;
  }
  return transitionFrames(spec.template, frames);
}

function transitionFrames(template: RenderTemplate, frames: number): number {
  return Math.min(Math.round((template.transitionMs * template.fps) / 1000), Math.floor(frames / 2));
}

/** Crop x offset that slides the picture in from the right, easing out, over `count` frames. */
const slideX = (width: number, count: number) => `${width}*(1-pow(1-min(n/${count},1),2))`;

/** Crop offset gliding across `room` pixels over the segment, forwards or back. */
const panOffset = (room: number, frames: number, forward: boolean) => {
  const progress = `n/${Math.max(1, frames - 1)}`;
  return forward ? `${room}*${progress}` : `${room}*(1-${progress})`;
};

// The crop snaps to even offsets (yuv420p). Whole-pixel steps (exact=1) look barely smoother and
// cost ~1.7× the time and ~4× the bytes: odd offsets shift chroma against luma, defeating skip blocks.
const movingCrop = (width: number, height: number, x: string[], y: string[]) =>
  `crop=${width}:${height}:x='${x.join('+') || '0'}':y='${y.join('+') || '0'}'`;

const loopStill = (fps: number) => ['loop=loop=-1:size=1', `settb=1/${fps}`, 'setpts=N'];

/**
 * Filters turning the visual into W×H yuv420p frames numbered from 0 at the template's rate.
 * Stills (images, title cards) are composed once, looped by reference, and moved only by `crop`,
 * which is nearly free; the slide's black strip is padded on before the loop for the same reason.
 * `still` is the composed picture (one frame) when nothing moves.
 */
function visualGraph(spec: SegmentSpec, frames: number): { inputs: string[]; graph: string; still?: string } {
  const { width: w, height: h, fps, kenBurns } = spec.template;
  const slide = slideFrames(spec, frames);
  const slideCrop = slide > 0 ? [slideX(w, slide)] : [];
  const visual: SceneVisual = spec.visual;
  switch (visual.kind) {
    case 'image': {
      const [cw, ch] = kenBurns ? [even(w * KEN_BURNS_SCALE), even(h * KEN_BURNS_SCALE)] : [w, h];
      const moves = kenBurns || slide > 0;
      const picture = [
        `scale=${cw}:${ch}:force_original_aspect_ratio=increase`,
        `crop=${cw}:${ch}`,
        'setsar=1',
        'format=yuv420p',
      ];
      const filters = [
        ...picture,
        ...(slide > 0 ? [`pad=${cw + w}:${ch}:${w}:0:black`] : []),
        ...loopStill(fps),
        ...(moves
          ? [
              movingCrop(
                w,
                h,
                // Even scenes pan right and down, odd ones left and up; under a slide the pan starts
                // at the left edge, or the picture's hidden left margin would show at the first frame.
                [...slideCrop, ...(kenBurns ? [panOffset(cw - w, frames, spec.index % 2 === 0 || slide > 0)] : [])],
                kenBurns ? [panOffset(ch - h, frames, spec.index % 2 === 0)] : [],
              ),
            ]
          : []),
      ];
      // image2pipe probes the codec from the bytes: no `%d` sequence patterns, no extension needed.
      return {
        inputs: ['-f', 'image2pipe', ...fileInput(visual.path)],
        graph: `[0:v]${filters.join(',')}`,
        still: moves ? undefined : `[0:v]${picture.join(',')}`,
      };
    }
    case 'video': {
      const filters = [
        `fps=${fps}`,
        `scale=${w}:${h}:force_original_aspect_ratio=increase`,
        `crop=${w}:${h}`,
        'setsar=1',
        'format=yuv420p',
        `settb=1/${fps}`,
        'setpts=N',
        ...(slide > 0 ? [`pad=${2 * w}:${h}:${w}:0:black`, movingCrop(w, h, slideCrop, [])] : []),
      ];
      // A clip not clearly longer than the scene loops: the probed length is the container's, and the
      // video stream can end before the audio does. An unknown length (probed as 0) loops too.
      const loop = visual.durationMs < spec.durationMs + LOOP_MARGIN_MS ? ['-stream_loop', '-1'] : [];
      return { inputs: [...loop, ...fileInput(visual.path)], graph: `[0:v]${filters.join(',')}` };
    }
    case 'title-card': {
      const picture = [
        `color=c=${lavfiColor(visual.background)}:s=${w}x${h}:r=${fps}`,
        'trim=end_frame=1',
        assFilter(visual.titleAssPath, spec.fontsDir),
        'setsar=1',
        'format=yuv420p',
      ];
      const filters = [
        ...picture,
        ...(slide > 0 ? [`pad=${2 * w}:${h}:${w}:0:black`] : []),
        ...loopStill(fps),
        ...(slide > 0 ? [movingCrop(w, h, slideCrop, [])] : []),
      ];
      return { inputs: [], graph: filters.join(','), still: slide > 0 ? undefined : picture.join(',') };
    }
  }
}

// `ass` rather than `subtitles`: libass reads the file itself, so no demuxer or protocol is involved.
const assFilter = (path: string, fontsDir?: string) =>
  `ass=filename=${escapeFilterValue(path)}${fontsDir ? `:fontsdir=${escapeFilterValue(fontsDir)}` : ''}`;

/**
 * Dip to black, lasting the template's transition as an editor's "dip to black" does: each cut
 * fades the scene before out over the first half and the next one in over the rest. The first
 * segment opens on its picture; every segment, the last too, ends faded out. (Fade frames are the
 * dearest to encode: ~25 ms of x264 each against ~9 ms for a still frame.)
 */
function fadeFrames(spec: SegmentSpec, frames: number): { fadeIn: number; fadeOut: number } {
  const { transition, transitionMs, fps } = spec.template;
  const dip = transition === 'fade' ? Math.max(0, Math.min(Math.round((transitionMs * fps) / 1000), frames)) : 0;
  const fadeOut = Math.floor(dip / 2);
  return { fadeIn: spec.index > 0 ? dip - fadeOut : 0, fadeOut };
}

function fadeFilters(spec: SegmentSpec, frames: number): string[] {
  const { fadeIn, fadeOut } = fadeFrames(spec, frames);
  return [
    ...(fadeIn > 0 ? [`fade=t=in:s=0:n=${fadeIn}`] : []),
    ...(fadeOut > 0 ? [`fade=t=out:s=${frames - fadeOut}:n=${fadeOut}`] : []),
  ];
}

// vf_subtitles asks libass for `pts × time_base × 1000` ms cut to an integer, in doubles: at 15 fps
// frame 111 is drawn at 7399 ms, not 7400.
const assClockMs = (frame: number, fps: number) => Math.trunc(frame * (1 / fps) * 1000);

/** The first frame drawn at `ms` or later, but no later than `last`. */
function firstFrameFrom(ms: number, fps: number, last: number): number {
  let frame = Math.min(last, Math.max(0, Math.floor((ms * fps) / 1000) - 1));
  while (frame < last && assClockMs(frame, fps) < ms) {
    frame++;
  }
  return frame;
}

/**
 * Frames before `frames` where the burned-in subtitles may change. The events are the cues as
 * `buildAss` lays them out (`layoutCues`) at `formatAssTime`'s centiseconds; libass shows one while
 * start <= t < end. They are plain text (no \fad, \move, karaoke): they look alike all the while.
 */
function subtitleChangeFrames(cues: SubtitleCue[], template: RenderTemplate, frames: number): number[] {
  const frameAt = (ms: number) => firstFrameFrom(10 * Math.max(0, Math.round(ms / 10)), template.fps, frames);
  return layoutCues(cues, template, { playResX: template.width, playResY: template.height })
    .map((cue) => [frameAt(cue.startMs), frameAt(cue.endMs)])
    .filter(([first, end]) => first < end)
    .flat();
}

/**
 * A still scene's frames, cut where its subtitles change and where its fades begin and end; or
 * undefined when it is to be filtered frame by frame: subtitles without `subtitleCues`, nothing
 * that runs per frame, or too many runs.
 */
export function stillIntervals(spec: SegmentSpec): FrameInterval[] | undefined {
  const frames = segmentFrameCount(spec.durationMs, spec.template.fps);
  const { fadeIn, fadeOut } = fadeFrames(spec, frames);
  if ((spec.subtitlesPath && !spec.subtitleCues) || (!spec.subtitlesPath && fadeIn + fadeOut === 0)) {
    return undefined;
  }
  const bodyEnd = frames - fadeOut;
  const changes = spec.subtitlesPath ? subtitleChangeFrames(spec.subtitleCues ?? [], spec.template, frames) : [];
  const inBody = changes.filter((frame) => frame > fadeIn && frame < bodyEnd);
  const cuts = [...new Set([0, fadeIn, bodyEnd, frames, ...inBody])].sort((a, b) => a - b);
  const intervals = cuts.slice(1).map((end, i): FrameInterval => {
    const start = cuts[i];
    const fade = end <= fadeIn ? 'in' : fadeOut > 0 && start >= bodyEnd ? 'out' : undefined;
    return fade ? { start, end, fade } : { start, end };
  });
  return intervals.length > MAX_STILL_INTERVALS ? undefined : intervals;
}

/**
 * The frames libass has to draw for a still: every frame of a fade run, the first of a steady one.
 * `at` is each run's first position in that list.
 */
function drawnFrames(intervals: FrameInterval[]): { count: number; at: number[] } {
  const at: number[] = [];
  let count = 0;
  for (const { start, end, fade } of intervals) {
    at.push(count);
    count += fade ? end - start : 1;
  }
  return { count, at };
}

/**
 * A still, run by run, concatenated. libass blending (~1.1 ms a frame at 1080×1920) and `fade`
 * (which needs a writable copy of every frame it sees) then cost once per run, not per frame,
 * except on the few frames of each fade. One `ass` draws them all (each libass instance loads
 * the fonts again): the picture is repeated once per frame to draw, each copy numbered as the
 * frame of the scene it stands for (libass draws a frame at its timestamp), then split back into
 * runs: a steady run repeats its frame by reference, a fade run fades its frames.
 */
function stillGraph(spec: SegmentSpec, still: string, intervals: FrameInterval[]): string {
  const { fps } = spec.template;
  const { count, at } = drawnFrames(intervals);
  // Positions [first, first + length) in the list of drawn frames, in `variable`'s terms.
  const positions = (variable: string, first: number, length: number) =>
    length === 1 ? `eq(${variable},${first})` : `between(${variable},${first},${first + length - 1})`;
  const lengths = intervals.map(({ start, end, fade }) => (fade ? end - start : 1));
  // pts = N, shifted run by run to the run's place in the scene.
  const shifts = intervals
    .map(({ start }, i) => (start === at[i] ? '' : `+${start - at[i]}*${positions('N', at[i], lengths[i])}`))
    .join('');
  const drawn = [
    still,
    ...(count > 1 ? [`loop=loop=${count - 1}:size=1`] : []),
    `settb=1/${fps}`,
    `setpts='N${shifts}'`,
    ...(spec.subtitlesPath ? [assFilter(spec.subtitlesPath, spec.fontsDir)] : []),
  ].join(',');
  const runs = intervals.map(({ start, end, fade }, i) => [
    ...(intervals.length > 1 ? [`select='${positions('n', at[i], lengths[i])}'`] : []),
    ...(fade
      ? [`fade=t=${fade}:s=0:n=${end - start}`]
      : end - start > 1
        ? [`loop=loop=${end - start - 1}:size=1`]
        : []),
  ]);
  if (runs.length === 1) {
    return [drawn, ...runs[0], 'setpts=N'].join(',');
  }
  const labels = (name: string) => runs.map((_, i) => `[${name}${i}]`).join('');
  // concat dates a run by its mean frame length, so a one-frame run would last no time: renumber.
  return [
    `${drawn},split=${runs.length}${labels('drawn')}`,
    ...runs.map((run, i) => `[drawn${i}]${run.join(',')}[run${i}]`),
    `${labels('run')}concat=n=${runs.length}:v=1:a=0,settb=1/${fps},setpts=N`,
  ].join(';');
}

/** An ffmpeg command whose filter graph goes to its stdin (`-filter_complex_script pipe:0`). */
export interface GraphOnStdinCommand {
  args: string[];
  graph: string;
}

/**
 * One scene → a video-only H.264 MP4 segment of exactly its frame count, subtitles burned in and
 * its transition rendered into its own ends. Segments of one video share every codec setting, so
 * the assembly joins them by stream copy.
 *
 * The graph holds all that follows from the scene's length and words (its frame count included,
 * as a final `trim`), so for stills and title cards the argv is known as soon as the visual is:
 * the encoder can be started while the scene is still being voiced.
 */
export function buildSegmentCommand(spec: SegmentSpec, output: string): GraphOnStdinCommand {
  assertRenderable(spec);
  const { fps } = spec.template;
  const frames = segmentFrameCount(spec.durationMs, fps);
  const { inputs, graph, still } = visualGraph(spec, frames);
  const intervals = still === undefined ? undefined : stillIntervals(spec);
  const finishing = [
    ...(spec.subtitlesPath ? [assFilter(spec.subtitlesPath, spec.fontsDir)] : []),
    ...fadeFilters(spec, frames),
  ];
  const filters =
    still !== undefined && intervals ? stillGraph(spec, still, intervals) : [graph, ...finishing].join(',');
  const thumbnailFrame = spec.thumbnail
    ? Math.min(frames - 1, Math.max(0, Math.round((spec.thumbnail.atMs * fps) / 1000)))
    : undefined;
  // The poster is one more output of the same graph: no second ffmpeg decoding the segment again.
  const outputs =
    thumbnailFrame === undefined
      ? '[v]'
      : `,split=2[v][poster];[poster]trim=start_frame=${thumbnailFrame}:end_frame=${thumbnailFrame + 1}[thumb]`;
  return {
    args: [
      ...FFMPEG_COMMON,
      ...inputs,
      '-filter_complex_script',
      'pipe:0',
      '-map',
      '[v]',
      '-r',
      String(fps),
      '-an',
      '-sn',
      '-dn',
      ...(spec.threads ? ['-threads', String(spec.threads)] : []),
      ...videoEncoderArgs(spec.quality, fps),
      '-f',
      'mp4',
      `file:${output}`,
      ...(spec.thumbnail ? ['-map', '[thumb]', ...JPEG_FRAME, `file:${spec.thumbnail.path}`] : []),
    ],
    graph: `${filters},trim=end_frame=${frames}${outputs}`,
  };
}

/**
 * The .ass file of a title card: the text centered in the template's font and colours, larger
 * than subtitles, wrapped to even lines (explicit line breaks kept), shown from the first frame.
 */
export function buildTitleCardAss(text: string, template: RenderTemplate): string {
  const fontSize = Math.round(template.subtitleStyle.fontSize * TITLE_FONT_SCALE);
  const wrap = wrapOptionsFor(template, fontSize);
  const lines = text.split(/\r\n|\r|\n/).flatMap((paragraph) => wrapBalanced(paragraph, wrap));
  const margin = subtitleMargins(template).horizontal;
  return renderAssDocument(
    { playResX: template.width, playResY: template.height },
    [
      {
        name: 'Title',
        fontName: template.fontFamily,
        fontSize,
        primaryColor: template.subtitleStyle.primaryColor,
        outlineColor: template.subtitleStyle.outlineColor,
        outline: outlineFor(fontSize),
        alignment: 5,
        marginL: margin,
        marginR: margin,
        marginV: 0,
      },
    ],
    [{ startMs: 0, endMs: TITLE_SHOWN_MS, style: 'Title', text: lines.join('\n') }],
  );
}
