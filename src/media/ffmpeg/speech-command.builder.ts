import { FFMPEG_COMMON as COMMON, fileInput } from 'src/media/ffmpeg/ffmpeg-args';
import { buildLoudnessApplyArgs, loudnessProbeFilters, normalisingGainDb } from 'src/media/ffmpeg/loudness';

export { fileInput };

/** Loudness target of narration before mixing: speech at -16 LUFS, sample peaks below -2 dBFS. */
export const SPEECH_TARGET_LUFS = -16;
const SPEECH_PEAK_DB = -2;
export const SPEECH_SAMPLE_RATE = 48_000;

/** One synthesized sentence → 48 kHz mono 16-bit WAV, the form every clip is stored in. */
export function buildClipArgs(input: string, output: string): string[] {
  return [
    ...COMMON,
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

/**
 * Sentence clips → one narration track as 48 kHz mono PCM: a pause after every sentence but the
 * last, joined, its integrated loudness measured on the way (logged to `loudnessLog`). Loudness
 * is normalised once over the whole track afterwards (`buildTrackEncodeArgs`); per-clip
 * normalising is unreliable on short clips.
 */
export function buildTrackJoinArgs(
  clips: readonly string[],
  pauseMs: number,
  output: string,
  loudnessLog: string,
): string[] {
  if (clips.length === 0) {
    throw new Error('a narration track needs at least one clip');
  }
  const pad = (i: number) => (i < clips.length - 1 && pauseMs > 0 ? `apad=pad_dur=${pauseMs / 1000}` : 'anull');
  const chains = clips.map((_, i) => `[${i}:a]${pad(i)}[s${i}]`);
  const joined = clips.map((_, i) => `[s${i}]`).join('');
  const graph = `${chains.join(';')};${joined}concat=n=${clips.length}:v=0:a=1,${loudnessProbeFilters(loudnessLog)},aresample=${SPEECH_SAMPLE_RATE}[out]`;
  return [
    ...COMMON,
    ...clips.flatMap(fileInput),
    '-filter_complex',
    graph,
    '-map',
    '[out]',
    '-ac',
    '1',
    '-c:a',
    'pcm_s16le',
    '-f',
    'wav',
    `file:${output}`,
  ];
}

/** The joined track → AAC in MP4, brought to the speech loudness target by one gain. */
export function buildTrackEncodeArgs(input: string, measuredLufs: number | undefined, output: string): string[] {
  return buildLoudnessApplyArgs({
    input,
    gainDb: normalisingGainDb(measuredLufs, SPEECH_TARGET_LUFS),
    peakDb: SPEECH_PEAK_DB,
    channels: 1,
    sampleRate: SPEECH_SAMPLE_RATE,
    codec: ['-c:a', 'aac', '-aac_coder', 'fast', '-b:a', '96k'],
    output,
  });
}
