import { FFMPEG_COMMON, fileInput } from 'src/media/ffmpeg/ffmpeg-args';
import { escapeFilterValue } from 'src/media/render/filter-syntax';

/**
 * Loudness normalising without ffmpeg's `loudnorm`, which upsamples to 192 kHz and costs ~1.2 s
 * of CPU per 30 s of stereo here: the loudness is measured (by `ebur128` in the pass that mixes
 * the master, or in-process for narration — see `integratedLoudness`), then one linear gain and a
 * peak limiter are applied while encoding. A linear gain also keeps speech dynamics as spoken.
 */

const R128_KEY = 'lavfi.r128.I';
/** ebur128 reports -70 LUFS (its absolute gate) for silence: nothing to normalise. */
const SILENCE_LUFS = -70;
/** Never boost by more than this: a near-silent track stays quiet rather than becoming hiss. */
const MAX_GAIN_DB = 24;
const MIN_GAIN_DB = -40;

/**
 * Filters that measure integrated loudness on the way through, logging ebur128's running value
 * for every 100 ms to `logPath` (the last line is the whole input's).
 */
export const loudnessProbeFilters = (logPath: string): string =>
  `ebur128=metadata=1,ametadata=mode=print:key=${R128_KEY}:file=${escapeFilterValue(logPath)}`;

/** The last integrated loudness `ametadata` logged, or undefined when it logged none. */
export function parseIntegratedLoudness(log: string): number | undefined {
  const values = [...log.matchAll(/^lavfi\.r128\.I=(-?\d+(?:\.\d+)?)\s*$/gm)].map((m) => Number(m[1]));
  return values.length > 0 ? values[values.length - 1] : undefined;
}

/** dB to bring `measured` LUFS to `target`, bounded; 0 for silence or no measurement. */
export function normalisingGainDb(measured: number | undefined, target: number): number {
  if (measured === undefined || !Number.isFinite(measured) || measured <= SILENCE_LUFS) {
    return 0;
  }
  const gain = Math.min(MAX_GAIN_DB, Math.max(MIN_GAIN_DB, target - measured));
  return Math.round(gain * 100) / 100;
}

export interface LoudnessApplySpec {
  input: string;
  gainDb: number;
  /** Sample-peak ceiling in dBFS; a little under the true-peak target, since AAC adds overshoot. */
  peakDb: number;
  channels: 1 | 2;
  sampleRate: number;
  /** Codec arguments, e.g. `['-c:a', 'aac', '-b:a', '128k']`. */
  codec: string[];
  output: string;
}

/**
 * One gain, then a look-ahead limiter holding sample peaks under `peakDb`. level=0: alimiter's
 * auto-level would push everything up to the ceiling; latency=1 removes its look-ahead delay so
 * the audio stays aligned with the pictures.
 */
export function gainAndLimitFilters(gainDb: number, peakDb: number): string {
  const limit = Math.round(10 ** (peakDb / 20) * 10_000) / 10_000;
  return `volume=${gainDb}dB,alimiter=limit=${limit}:level=0:latency=1`;
}

/** PCM → gain → limiter → encoded MP4 audio with the index up front. */
export function buildLoudnessApplyArgs(spec: LoudnessApplySpec): string[] {
  const filters = [
    gainAndLimitFilters(spec.gainDb, spec.peakDb),
    `aresample=${spec.sampleRate}`,
    `aformat=sample_fmts=fltp:channel_layouts=${spec.channels === 1 ? 'mono' : 'stereo'}`,
  ];
  return [
    ...FFMPEG_COMMON,
    ...fileInput(spec.input),
    '-vn',
    '-af',
    filters.join(','),
    ...spec.codec,
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    `file:${spec.output}`,
  ];
}
