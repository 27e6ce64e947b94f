import type { SubtitleCue } from 'src/media/render/render.types';

/** Milliseconds → "hh:mm:ss.mmm". */
export function formatVttTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor(total / 60_000) % 60;
  const s = Math.floor(total / 1000) % 60;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(total % 1000, 3)}`;
}

/** Cue text as WebVTT shows it literally: no markup, no blank line (which would end the cue). */
export function escapeVttText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join('\n');
}

/** Cues on the video's clock → a WebVTT file. */
export function buildVtt(cues: SubtitleCue[]): string {
  const blocks = cues
    .map((cue) => ({ cue, text: escapeVttText(cue.text) }))
    .filter(({ text }) => text.length > 0)
    .map(({ cue, text }) => `${formatVttTime(cue.startMs)} --> ${formatVttTime(cue.endMs)}\n${text}\n`);
  return ['WEBVTT\n', ...blocks].join('\n');
}
