import { fileInput } from 'src/media/ffmpeg/speech-command.builder';
import { escapeFilterValue, lavfiColor, RENDER_COMMON } from 'src/media/render/filter-syntax';
import { videoEncoderArgs } from 'src/media/render/render-presets';
import type { RenderTemplate, SceneVisual, SegmentSpec } from 'src/media/render/render.types';
import { outlineFor, renderAssDocument, subtitleMargins, wrapOptionsFor } from 'src/media/subtitles/ass.builder';
import { wrapBalanced } from 'src/media/subtitles/subtitle-wrap';

/** A Ken Burns pan needs room to move: the picture is scaled once to 110 % and a crop glides over it. */
export const KEN_BURNS_SCALE = 1.1;
/** Title-card text relative to the template's subtitle size. */
export const TITLE_FONT_SCALE = 1.25;
const TITLE_SHOWN_MS = 3_600_000;
const LOOP_MARGIN_MS = 1000;

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
 */
function visualGraph(spec: SegmentSpec, frames: number): { inputs: string[]; graph: string } {
  const { width: w, height: h, fps, kenBurns } = spec.template;
  const slide = slideFrames(spec, frames);
  const slideCrop = slide > 0 ? [slideX(w, slide)] : [];
  const visual: SceneVisual = spec.visual;
  switch (visual.kind) {
    case 'image': {
      const [cw, ch] = kenBurns ? [even(w * KEN_BURNS_SCALE), even(h * KEN_BURNS_SCALE)] : [w, h];
      const moves = kenBurns || slide > 0;
      const filters = [
        `scale=${cw}:${ch}:force_original_aspect_ratio=increase`,
        `crop=${cw}:${ch}`,
        'setsar=1',
        'format=yuv420p',
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
      return { inputs: ['-f', 'image2pipe', ...fileInput(visual.path)], graph: `[0:v]${filters.join(',')}` };
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
      const filters = [
        `color=c=${lavfiColor(visual.background)}:s=${w}x${h}:r=${fps}`,
        'trim=end_frame=1',
        assFilter(visual.titleAssPath, spec.fontsDir),
        'setsar=1',
        'format=yuv420p',
        ...(slide > 0 ? [`pad=${2 * w}:${h}:${w}:0:black`] : []),
        ...loopStill(fps),
        ...(slide > 0 ? [movingCrop(w, h, slideCrop, [])] : []),
      ];
      return { inputs: [], graph: filters.join(',') };
    }
  }
}

// `ass` rather than `subtitles`: libass reads the file itself, so no demuxer or protocol is involved.
const assFilter = (path: string, fontsDir?: string) =>
  `ass=filename=${escapeFilterValue(path)}${fontsDir ? `:fontsdir=${escapeFilterValue(fontsDir)}` : ''}`;

/** Dip to black: every segment fades out at its end and, except the first, fades in at its start. */
function fadeFilters(spec: SegmentSpec, frames: number): string[] {
  const count = spec.template.transition === 'fade' ? transitionFrames(spec.template, frames) : 0;
  if (count <= 0) {
    return [];
  }
  return [...(spec.index > 0 ? [`fade=t=in:s=0:n=${count}`] : []), `fade=t=out:s=${frames - count}:n=${count}`];
}

/**
 * One scene → a video-only H.264 MP4 segment of exactly its frame count, subtitles burned in and
 * its transition rendered into its own ends. Segments of one video share every codec setting, so
 * the assembly joins them by stream copy.
 */
export function buildSegmentArgs(spec: SegmentSpec, output: string): string[] {
  assertRenderable(spec);
  const { fps } = spec.template;
  const frames = segmentFrameCount(spec.durationMs, fps);
  const { inputs, graph } = visualGraph(spec, frames);
  const finishing = [
    ...(spec.subtitlesPath ? [assFilter(spec.subtitlesPath, spec.fontsDir)] : []),
    ...fadeFilters(spec, frames),
  ];
  return [
    ...RENDER_COMMON,
    ...inputs,
    '-filter_complex',
    `${[graph, ...finishing].join(',')}[v]`,
    '-map',
    '[v]',
    '-frames:v',
    String(frames),
    '-r',
    String(fps),
    '-an',
    '-sn',
    '-dn',
    ...videoEncoderArgs(spec.quality, fps),
    '-f',
    'mp4',
    `file:${output}`,
  ];
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
