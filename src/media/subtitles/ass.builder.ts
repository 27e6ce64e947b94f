import type { RenderTemplate, SubtitleCue, SubtitlePosition } from 'src/media/render/render.types';
import { CueSplitOptions, splitCues } from 'src/media/subtitles/subtitle-wrap';

export interface AssCanvas {
  playResX: number;
  playResY: number;
}

export interface AssStyle {
  name: string;
  fontName: string;
  fontSize: number;
  /** #RRGGBB */
  primaryColor: string;
  /** #RRGGBB */
  outlineColor: string;
  outline: number;
  /** Numpad layout: 2 bottom, 5 center, 8 top (all horizontally centered). */
  alignment: number;
  marginL: number;
  marginR: number;
  marginV: number;
}

export interface AssEvent {
  startMs: number;
  endMs: number;
  style: string;
  /** Plain text; lines separated by "\n". Escaped here. */
  text: string;
}

const ALIGNMENT: Record<SubtitlePosition, number> = { bottom: 2, center: 5, top: 8 };

/** "#RRGGBB" → "&H00BBGGRR" (ASS colours are little-endian with alpha first; 00 is opaque). */
export function assColor(hex: string): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) {
    throw new Error(`not a #RRGGBB colour: ${JSON.stringify(hex)}`);
  }
  const [, r, g, b] = match;
  return `&H00${b}${g}${r}`.toUpperCase();
}

/** Milliseconds → "h:mm:ss.cc" (ASS counts centiseconds). */
export function formatAssTime(ms: number): string {
  const cs = Math.max(0, Math.round(ms / 10));
  const h = Math.floor(cs / 360_000);
  const m = Math.floor(cs / 6000) % 60;
  const s = Math.floor(cs / 100) % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${h}:${pad(m)}:${pad(s)}.${pad(cs % 100)}`;
}

/**
 * Plain text → ASS event text that libass shows literally. Braces become `\{` `\}` (libass prints
 * them instead of opening an override block); a backslash gets an invisible WORD JOINER after it so
 * no `\N`, `\n`, `\h` or `\{` can form; line breaks become `\N`.
 */
export function escapeAssText(text: string): string {
  return text
    .replace(/\\/g, '\\\u2060')
    .replace(/[{}]/g, (brace) => `\\${brace}`)
    .replace(/\r\n|\r|\n/g, '\\N');
}

// Style and event lines are comma-separated: a comma in a font name would shift every field.
const field = (value: string) => value.replace(/[,\r\n]/g, ' ').trim();

function styleLine(style: AssStyle): string {
  return [
    `Style: ${field(style.name)}`,
    field(style.fontName),
    style.fontSize,
    assColor(style.primaryColor),
    '&H000000FF',
    assColor(style.outlineColor),
    // Shadow colour: the outline colour at 50 % (ASS alpha 80 of FF), used only when Shadow > 0.
    assColor(style.outlineColor).replace('&H00', '&H80'),
    0,
    0,
    0,
    0,
    100,
    100,
    0,
    0,
    1,
    style.outline,
    0,
    style.alignment,
    style.marginL,
    style.marginR,
    style.marginV,
    1,
  ].join(',');
}

/**
 * A complete .ass document. Text arrives wrapped (`\N`); WrapStyle 0 only lets libass break a Latin
 * line that still overflows the margins (this libass has no CJK line breaking).
 */
export function renderAssDocument(canvas: AssCanvas, styles: AssStyle[], events: AssEvent[]): string {
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${canvas.playResX}`,
    `PlayResY: ${canvas.playResY}`,
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    ...styles.map(styleLine),
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...events.map(
      (event) =>
        `Dialogue: 0,${formatAssTime(event.startMs)},${formatAssTime(event.endMs)},${field(event.style)},,0,0,0,,${escapeAssText(event.text)}`,
    ),
    '',
  ].join('\n');
}

/** Side margins and the distance from the top/bottom edge, in template pixels. */
export function subtitleMargins(template: Pick<RenderTemplate, 'width' | 'height'>): {
  horizontal: number;
  vertical: number;
} {
  return { horizontal: Math.round(template.width * 0.06), vertical: Math.round(template.height * 0.1) };
}

/** A text outline readable on any picture: about 6 % of the font size, at least 1 px. */
export const outlineFor = (fontSize: number) => Math.max(1, Math.round(fontSize * 0.06));

// Noto Sans advances average about 0.55 em for Latin text and exactly 1 em for CJK.
const LATIN_EM = 0.55;

/** How much text fits on one line of the template at a font size (for wrapSubtitleText/splitCues). */
export function wrapOptionsFor(
  template: Pick<RenderTemplate, 'width' | 'height'>,
  fontSize: number,
  maxLines = 2,
): CueSplitOptions {
  const usable = template.width - 2 * subtitleMargins(template).horizontal;
  return {
    maxLatinChars: Math.max(1, Math.floor(usable / (fontSize * LATIN_EM))),
    maxCjkChars: Math.max(1, Math.floor(usable / fontSize)),
    maxLines,
  };
}

/** The subtitle style of a template. */
export function subtitleAssStyle(template: RenderTemplate): AssStyle {
  const { subtitleStyle } = template;
  const margins = subtitleMargins(template);
  return {
    name: 'Default',
    fontName: template.fontFamily,
    fontSize: subtitleStyle.fontSize,
    primaryColor: subtitleStyle.primaryColor,
    outlineColor: subtitleStyle.outlineColor,
    outline: outlineFor(subtitleStyle.fontSize),
    alignment: ALIGNMENT[subtitleStyle.position],
    marginL: margins.horizontal,
    marginR: margins.horizontal,
    marginV: margins.vertical,
  };
}

/**
 * The events `buildAss` writes for these cues: a cue without line breaks is split into screens of
 * two lines (`splitCues`); one with line breaks is taken as already laid out. Shared with the
 * segment builder, which needs to know every frame where the subtitles change.
 */
export function layoutCues(cues: SubtitleCue[], template: RenderTemplate, canvas: AssCanvas): SubtitleCue[] {
  const wrap = wrapOptionsFor({ width: canvas.playResX, height: canvas.playResY }, template.subtitleStyle.fontSize);
  return cues.flatMap((cue) => (/[\r\n]/.test(cue.text) ? [cue] : splitCues(cue, wrap)));
}

/**
 * Cues timed from the segment's start → a complete .ass file in the template's style. PlayRes is
 * the frame size, so font sizes are frame pixels. A cue whose text has no line break yet is laid
 * out here by `splitCues` (two lines per cue); text with line breaks is taken as already laid out.
 */
export function buildAss(cues: SubtitleCue[], template: RenderTemplate, canvas: AssCanvas): string {
  const laidOut = layoutCues(cues, template, canvas);
  return renderAssDocument(
    canvas,
    [subtitleAssStyle(template)],
    laidOut.map((cue) => ({ startMs: cue.startMs, endMs: cue.endMs, style: 'Default', text: cue.text })),
  );
}
