import { FFMPEG_COMMON, fileInput } from 'src/media/ffmpeg/ffmpeg-args';
import { gainAndLimitFilters } from 'src/media/ffmpeg/loudness';

/** Loudness target of narration before mixing: speech at -16 LUFS, sample peaks below -2 dBFS. */
export const SPEECH_TARGET_LUFS = -16;
const SPEECH_PEAK_DB = -2;
export const SPEECH_SAMPLE_RATE = 48_000;

/**
 * One synthesized sentence → 48 kHz mono 16-bit WAV; only for providers whose output is not
 * already a complete 16-bit PCM WAV (espeak-ng's is kept as it is).
 */
export function buildClipArgs(input: string, output: string): string[] {
  return [
    ...FFMPEG_COMMON,
    ...fileInput(input),
    '-vn',
    '-ac',
    '1',
    '-ar',
    String(SPEECH_SAMPLE_RATE),
    '-c:a',
    'pcm_s16le',
    '-f',
    'wav',
    `file:${output}`,
  ];
}

/** A narration track's container: AAC in MP4 to hand to users, float WAV to mix from. */
export type TrackFormat = 'm4a' | 'wav';

const TRACK_CODECS: Record<TrackFormat, string[]> = {
  m4a: ['-c:a', 'aac', '-aac_coder', 'fast', '-b:a', '96k', '-movflags', '+faststart', '-f', 'mp4'],
  wav: ['-c:a', 'pcm_f32le', '-f', 'wav'],
};

/**
 * Sentence clips → one narration track: a pause after every sentence but the last, joined at
 * 48 kHz mono, brought to the speech loudness by one gain (measured over the clips beforehand,
 * `integratedLoudness`; per-clip normalising is unreliable on short clips), peak-limited, then AAC
 * in MP4 with the index up front, or float WAV.
 */
export function buildTrackArgs(
  clips: readonly string[],
  pauseMs: number,
  gainDb: number,
  output: string,
  format: TrackFormat = 'm4a',
): string[] {
  if (clips.length === 0) {
    throw new Error('a narration track needs at least one clip');
  }
  const pad = (i: number) => (i < clips.length - 1 && pauseMs > 0 ? `,apad=pad_dur=${pauseMs / 1000}` : '');
  const chains = clips.map(
    (_, i) => `[${i}:a]aresample=${SPEECH_SAMPLE_RATE},aformat=channel_layouts=mono${pad(i)}[s${i}]`,
  );
  const joined = clips.map((_, i) => `[s${i}]`).join('');
  const graph = `${chains.join(';')};${joined}concat=n=${clips.length}:v=0:a=1,${gainAndLimitFilters(gainDb, SPEECH_PEAK_DB)}[out]`;
  return [
    ...FFMPEG_COMMON,
    ...clips.flatMap(fileInput),
    '-filter_complex',
    graph,
    '-map',
    '[out]',
    '-ac',
    '1',
    ...TRACK_CODECS[format],
    `file:${output}`,
  ];
}
