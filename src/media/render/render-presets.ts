import type { RenderQuality } from 'src/media/render/render.types';

export interface RenderPreset {
  /** x264 speed preset. */
  preset: string;
  crf: number;
  /** B-frames, pinned so every segment of a video is encoded alike whatever x264's defaults. */
  bframes: number;
  audioBitrate: string;
}

/**
 * Chosen for 2 cores (see /work/shared/MEDIA.md; filtering runs on one core, x264 uses both):
 * - draft: `ultrafast` keeps previews cheap; its files are ~5× larger, so crf 28 trims them
 *   (and ultrafast has no B-frames anyway).
 * - standard: `veryfast` crf 23, the measured baseline: visually clean short-video quality.
 * - high: `fast` crf 20; `medium` roughly doubles the encode time for little visible gain.
 */
export const RENDER_PRESETS: Readonly<Record<RenderQuality, Readonly<RenderPreset>>> = {
  draft: { preset: 'ultrafast', crf: 28, bframes: 0, audioBitrate: '96k' },
  standard: { preset: 'veryfast', crf: 23, bframes: 3, audioBitrate: '128k' },
  high: { preset: 'fast', crf: 20, bframes: 3, audioBitrate: '128k' },
};

/**
 * H.264 settings shared by every segment of a video, so the concat demuxer can join them with
 * `-c:v copy`: a closed GOP of 2 s with no scene-cut keyframes (the first frame is always an IDR),
 * yuv420p for every player, and a track timescale of exactly the frame rate (with x264's default
 * 15360 the joined timestamps drift by ~0.7 ms at each join).
 */
export function videoEncoderArgs(quality: RenderQuality, fps: number): string[] {
  const { preset, crf, bframes } = RENDER_PRESETS[quality];
  return [
    '-c:v',
    'libx264',
    '-preset',
    preset,
    '-crf',
    String(crf),
    '-g',
    String(fps * 2),
    '-sc_threshold',
    '0',
    '-bf',
    String(bframes),
    '-flags',
    '+cgop',
    '-pix_fmt',
    'yuv420p',
    '-video_track_timescale',
    String(fps),
  ];
}

export function audioEncoderArgs(quality: RenderQuality): string[] {
  return ['-c:a', 'aac', '-b:a', RENDER_PRESETS[quality].audioBitrate];
}
