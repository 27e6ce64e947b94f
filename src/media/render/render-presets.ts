import type { RenderQuality } from 'src/media/render/render.types';

export interface RenderPreset {
  /** x264 speed preset. */
  preset: string;
  crf: number;
  /** B-frames, pinned so every segment of a video is encoded alike whatever x264's defaults. */
  bframes: number;
  audioBitrate: string;
  /** ffmpeg's AAC coder: `fast` costs a quarter of `twoloop` (0.4 s vs 1.6 s of CPU per 30 s of stereo). */
  aacCoder: 'fast' | 'twoloop';
  /**
   * Whether the AAC coder searches for mid/side stereo (its default) when music is mixed in. The
   * search pays when both channels are nearly alike (the dual-mono voice alone: 48 vs 36 dB SNR at
   * 128k). Under music, `fast` spends half its time on it (0.62 vs 0.31 s of CPU per 30 s here) for
   * under 0.1 dB, and came out byte-identical on the benchmark's mix; `twoloop` gains 0.4 dB.
   */
  midSideWithMusic: boolean;
}

/**
 * Chosen for 2 cores (see /work/shared/MEDIA.md; filtering runs on one core, x264 uses both).
 * CPU time of a 5 s 1080×1920 panned still with subtitles, relative to `veryfast`:
 * - draft: `ultrafast` crf 28 — 0.4× the CPU, 2.3× the bytes; fine for a preview.
 * - standard: `veryfast` crf 23 — the baseline MEDIA.md measured everything against.
 * - high: `fast` crf 20 — ~2.2×. `faster` (1.9×) refines motion more coarsely; `medium` measured
 *   about the same as `fast` on stills, and x264's finer motion search costs more on moving clips.
 */
export const RENDER_PRESETS: Readonly<Record<RenderQuality, Readonly<RenderPreset>>> = {
  draft: { preset: 'ultrafast', crf: 28, bframes: 0, audioBitrate: '96k', aacCoder: 'fast', midSideWithMusic: false },
  standard: {
    preset: 'veryfast',
    crf: 23,
    bframes: 3,
    audioBitrate: '128k',
    aacCoder: 'fast',
    midSideWithMusic: false,
  },
  high: { preset: 'fast', crf: 20, bframes: 3, audioBitrate: '128k', aacCoder: 'twoloop', midSideWithMusic: true },
};

/**
 * H.264 settings shared by every segment of a video, so the concat demuxer can join them with
 * `-c:v copy`: a closed GOP of 2 s with no scene-cut keyframes (the first frame is always an IDR),
 * yuv420p for every player, and a track timescale of exactly the frame rate (with the MP4 muxer's
 * default, 15360 at 30 fps, the joined video drifts 0.3–0.7 ms further from the audio at each join).
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

/** AAC at the quality's settings; `withMusic` for a mix with music under the voice. */
export function audioEncoderArgs(quality: RenderQuality, withMusic = false): string[] {
  const { aacCoder, audioBitrate, midSideWithMusic } = RENDER_PRESETS[quality];
  const midSide = withMusic && !midSideWithMusic ? ['-aac_ms', '0'] : [];
  return ['-c:a', 'aac', '-aac_coder', aacCoder, ...midSide, '-b:a', audioBitrate];
}
