import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { integratedLoudness } from 'src/media/audio/loudness-meter';
import { joinClips, layOnTimeline } from 'src/media/audio/pcm-timeline';
import { normalisingGainDb } from 'src/media/ffmpeg/loudness';
import { decodePcmWav, encodeFloatWav, pcmDurationMs } from 'src/media/ffmpeg/wav';

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
    const pieces = paths.map((path) => decodePcmWav(readFileSync(path))!);
    const ours = integratedLoudness(pieces)!;
    const theirs = ffmpegLoudness(paths);
    expect(theirs).toBeLessThan(-5);
    expect(Math.abs(ours - theirs)).toBeLessThanOrEqual(0.3);
  });

  it('joins clips in-process into a float WAV that ffmpeg reads at the loudness aimed for', () => {
    const clips = [first, second].map((path) => decodePcmWav(readFileSync(path))!);
    const gainDb = normalisingGainDb(integratedLoudness(clips), -16);
    const track = join(dir, 'track.wav');
    writeFileSync(track, encodeFloatWav(joinClips(clips, 250, gainDb)!));
    expect(Math.abs(ffmpegLoudness([track]) + 16)).toBeLessThanOrEqual(0.3);
    const probed = execFileSync('ffprobe', [
      ...['-v', 'error', '-show_entries', 'stream=codec_name,sample_rate:format=duration', '-of', 'csv=p=0'],
      track,
    ]).toString();
    const expectedMs = clips.reduce((sum, clip) => sum + pcmDurationMs(clip), 250);
    expect(probed).toMatch(/^pcm_f32le,22050\n/);
    expect(Math.abs(Number(probed.split('\n')[1]) * 1000 - expectedMs)).toBeLessThan(1);

    // Laid on a timeline, the track keeps its samples: the bed of one scene at 1 s is 1 s of
    // silence, then the track as it was.
    const audio = decodePcmWav(readFileSync(track))!;
    const bed = layOnTimeline([{ audio, startMs: 1000, durationMs: 60_000 }], 1000 + pcmDurationMs(audio))!;
    expect(bed.samples.subarray(0, 22_050).every((v) => v === 0)).toBe(true);
    expect(bed.samples.subarray(22_050)).toEqual(audio.samples);
  });

  it('reads as many samples as ffprobe reads seconds', () => {
    for (const path of [first, to48k(second)]) {
      const probed = Number(
        execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path]),
      );
      const audio = decodePcmWav(readFileSync(path))!;
      expect(audio.samples.length).toBeGreaterThan(0);
      expect(Math.abs(pcmDurationMs(audio) - probed * 1000)).toBeLessThan(1);
    }
  });
});
