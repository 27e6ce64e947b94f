import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { integratedLoudness } from 'src/media/audio/loudness-meter';
import { decodePcm16Wav, pcmDurationMs } from 'src/media/ffmpeg/wav';

/**
 * ffmpeg's own EBU R128 reading of a file (or of several joined), from its last summary: ffmpeg
 * configures a filter_complex graph twice here, and the first, discarded one prints -70 LUFS.
 */
function ffmpegLoudness(paths: string[]): number {
  const inputs = paths.flatMap((path) => ['-i', path]);
  const graph = `${paths.map((_, i) => `[${i}:a]`).join('')}concat=n=${paths.length}:v=0:a=1,ebur128`;
  const result = spawnSync('ffmpeg', [
    '-hide_banner',
    '-nostats',
    ...inputs,
    '-filter_complex',
    graph,
    '-f',
    'null',
    '-',
  ]);
  const summary = result.stderr.toString().split('Summary:').pop() ?? '';
  return Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]);
}

describe('in-process loudness and WAV reading against ffmpeg (real espeak-ng speech)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reelsmith-loudness-'));
  const speak = (name: string, text: string) => {
    const path = join(dir, `${name}.wav`);
    execFileSync('espeak-ng', ['-v', 'en-us', '-w', path, text]);
    return path;
  };
  const to48k = (path: string) => {
    const out = path.replace(/\.wav$/, '-48k.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', path, '-ac', '1', '-ar', '48000', '-c:a', 'pcm_s16le', out]);
    return out;
  };
  const first = speak('first', 'Bees dance in the hive to tell their sisters where the flowers grow.');
  const second = speak('second', 'A longer waggle means the flowers are farther away.');

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['espeak-ng output (22.05 kHz)', [first]],
    ['resampled to 48 kHz', [to48k(first)]],
    ['two sentences as one programme', [to48k(first), to48k(second)]],
  ])('measures %s within 0.3 LU of ffmpeg ebur128', (_, paths) => {
    const pieces = paths.map((path) => decodePcm16Wav(readFileSync(path))!);
    const ours = integratedLoudness(pieces)!;
    const theirs = ffmpegLoudness(paths);
    expect(theirs).toBeLessThan(-5);
    expect(Math.abs(ours - theirs)).toBeLessThanOrEqual(0.3);
  });

  it('reads as many samples as ffprobe reads seconds', () => {
    for (const path of [first, to48k(second)]) {
      const probed = Number(
        execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path]),
      );
      const audio = decodePcm16Wav(readFileSync(path))!;
      expect(audio.samples.length).toBeGreaterThan(0);
      expect(Math.abs(pcmDurationMs(audio) - probed * 1000)).toBeLessThan(1);
    }
  });
});
