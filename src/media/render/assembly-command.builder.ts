import { FFMPEG_COMMON, fileInput, JPEG_FRAME } from 'src/media/ffmpeg/ffmpeg-args';
import { buildLoudnessApplyArgs, loudnessProbeFilters, normalisingGainDb } from 'src/media/ffmpeg/loudness';
import { seconds } from 'src/media/render/filter-syntax';
import { audioEncoderArgs } from 'src/media/render/render-presets';
import type { AudioMasterSpec, AudioMixSpec, MuxSpec } from 'src/media/render/render.types';

/** Final loudness: -14 LUFS integrated, the common target of short-video apps. */
export const MASTER_TARGET_LUFS = -14;
/** Sample peaks under -1.5 dBFS, so the AAC-decoded true peak stays near -1 dBTP. */
const MASTER_PEAK_DB = -1.5;
export const MASTER_SAMPLE_RATE = 48_000;
/** Music ducks ~18 dB within 20 ms of speech and recovers over 400 ms. */
export const DUCKING = 'sidechaincompress=threshold=0.02:ratio=8:attack=20:release=400';

const STEREO = `aresample=${MASTER_SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo`;

/**
 * Segment files → an ffconcat list. Paths must be absolute; each is read through the `file:`
 * protocol, quoted, with `'` written as `'\''` (the list is parsed like a filter option value).
 */
export function buildConcatList(segmentPaths: readonly string[]): string {
  if (segmentPaths.length === 0) {
    throw new Error('a video needs at least one segment');
  }
  const lines = segmentPaths.map((path) => {
    if (!path.startsWith('/') || /[\r\n]/.test(path)) {
      throw new Error(`a segment path must be absolute and on one line: ${JSON.stringify(path)}`);
    }
    return `file '${`file:${path}`.replace(/'/g, `'\\''`)}'`;
  });
  return ['ffconcat version 1.0', ...lines, ''].join('\n');
}

/**
 * The audio graph: every narration trimmed to its slot and delayed to its start, summed (they do
 * not overlap, so no normalising), padded or cut to the video's length; music looped, ducked by a
 * compressor keyed on the narration, mixed under it; the whole track's loudness measured once.
 */
function audioGraph(spec: AudioMixSpec, firstNarrationInput: number, musicInput: number): string {
  const total = seconds(spec.durationMs);
  const chains: string[] = spec.narration.map(
    (placement, i) =>
      `[${i + firstNarrationInput}:a]atrim=duration=${seconds(placement.durationMs)},asetpts=PTS-STARTPTS,${STEREO},adelay=delays=${Math.max(0, Math.round(placement.startMs))}:all=1[n${i}]`,
  );
  const fit = `apad=whole_dur=${total},atrim=duration=${total}`;
  // The format is pinned at the end: when a decoder's first frames make ffmpeg rebuild the graph
  // (AAC narration does), an unpinned tail fails with "Cannot select channel layout".
  const master = `${loudnessProbeFilters(spec.loudnessLog)},${STEREO}[aout]`;
  const count = spec.narration.length;
  const voice =
    count === 0
      ? `anullsrc=r=${MASTER_SAMPLE_RATE}:cl=stereo,${fit}`
      : count === 1
        ? `[n0]${fit}`
        : `${chains.map((_, i) => `[n${i}]`).join('')}amix=inputs=${count}:duration=longest:normalize=0,${fit}`;
  if (!spec.musicPath) {
    return [...chains, `${voice},${master}`].join(';');
  }
  return [
    ...chains,
    `${voice},asplit=2[voice][key]`,
    `[${musicInput}:a]${STEREO},volume=${spec.musicVolume},atrim=duration=${total}[music]`,
    `[music][key]${DUCKING}[ducked]`,
    `[voice][ducked]amix=inputs=2:duration=first:normalize=0,${master}`,
  ].join(';');
}

/** One JPEG frame at `atMs` (input seeking, then decoded to the exact frame). */
export function buildThumbnailArgs(videoPath: string, atMs: number, output: string): string[] {
  return [
    ...FFMPEG_COMMON,
    '-ss',
    seconds(Math.max(0, atMs)),
    ...fileInput(videoPath),
    '-an',
    ...JPEG_FRAME,
    `file:${output}`,
  ];
}

/**
 * The whole video's audio on its own (narration placed per scene, ducked music), as float PCM with
 * its loudness measured, so it can be mixed while the segments encode; `buildAudioMasterArgs`
 * then normalises and encodes it, and the final step only copies streams.
 */
export function buildAudioMixArgs(spec: AudioMixSpec): string[] {
  const musicInput = spec.narration.length;
  return [
    ...FFMPEG_COMMON,
    ...spec.narration.flatMap((placement) => fileInput(placement.path)),
    ...(spec.musicPath ? ['-stream_loop', '-1', ...fileInput(spec.musicPath)] : []),
    '-filter_complex',
    audioGraph(spec, 0, musicInput),
    '-map',
    '[aout]',
    // Float, so a mix that sums above full scale is not clipped before the gain brings it down.
    '-c:a',
    'pcm_f32le',
    '-t',
    seconds(spec.durationMs),
    '-f',
    'wav',
    `file:${spec.output}`,
  ];
}

/** The mixed PCM → one gain to the master loudness, a peak limiter, AAC at the quality's settings. */
export function buildAudioMasterArgs(spec: AudioMasterSpec): string[] {
  return buildLoudnessApplyArgs({
    input: spec.input,
    gainDb: normalisingGainDb(spec.measuredLufs, MASTER_TARGET_LUFS),
    peakDb: MASTER_PEAK_DB,
    channels: 2,
    sampleRate: MASTER_SAMPLE_RATE,
    codec: audioEncoderArgs(spec.quality, spec.withMusic),
    output: spec.output,
  });
}

/** Joined segments + the mixed audio → the final MP4, both streams copied, index up front. */
export function buildMuxArgs(spec: MuxSpec): string[] {
  return [
    ...FFMPEG_COMMON,
    '-f',
    'concat',
    '-safe',
    '0',
    ...fileInput(spec.concatListPath),
    ...fileInput(spec.audioPath),
    '-map',
    '0:v',
    '-map',
    '1:a',
    '-c',
    'copy',
    '-t',
    seconds(spec.durationMs),
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    `file:${spec.output}`,
  ];
}
