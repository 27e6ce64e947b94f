/** Every input is read as a plain local file, never through another protocol. */
export const fileInput = (path: string): string[] => ['-protocol_whitelist', 'file', '-i', `file:${path}`];

const COMMON = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'];

/** Loudness target of narration before mixing: speech at -16 LUFS, peaks below -1.5 dBTP. */
export const SPEECH_LOUDNORM = 'loudnorm=I=-16:TP=-1.5:LRA=11';
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
 * Sentence clips → one narration track: a pause after every sentence but the last, joined, then
 * loudness-normalised once over the whole track (per-clip normalising is unreliable on short
 * clips), as AAC in MP4 with the index up front.
 */
export function buildTrackArgs(clips: readonly string[], pauseMs: number, output: string): string[] {
  if (clips.length === 0) {
    throw new Error('a narration track needs at least one clip');
  }
  const pad = (i: number) => (i < clips.length - 1 && pauseMs > 0 ? `apad=pad_dur=${pauseMs / 1000}` : 'anull');
  const chains = clips.map((_, i) => `[${i}:a]${pad(i)}[s${i}]`);
  const joined = clips.map((_, i) => `[s${i}]`).join('');
  const graph = `${chains.join(';')};${joined}concat=n=${clips.length}:v=0:a=1,${SPEECH_LOUDNORM},aresample=${SPEECH_SAMPLE_RATE}[out]`;
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
    'aac',
    '-b:a',
    '96k',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    `file:${output}`,
  ];
}
