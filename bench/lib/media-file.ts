import { existsSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runCommand } from './processes';

// 192 kHz, 24-bit, stereo PCM: 1,152,000 bytes a second, so 1 GiB is 15.5 minutes of sound (our
// limit is 1 hour) and ffmpeg writes it in seconds (no encoding). ffprobe reads only the header.
export const WAV_SAMPLE_RATE = 192_000;
const CHANNELS = 2;
const BYTES_PER_SAMPLE = 3;
export const WAV_BYTES_PER_SECOND = WAV_SAMPLE_RATE * CHANNELS * BYTES_PER_SAMPLE;
// RIFF/WAVE header as ffmpeg writes it with -bitexact (no encoder tag).
const WAV_HEADER_BYTES = 68;
const MAX_SECONDS = 3600;

export interface MediaFile {
  path: string;
  bytes: number;
  seconds: number;
  /** How long generating it took; 0 when it came from the cache. */
  generatedMs: number;
}

/** The largest upload this format allows within the 1-hour duration limit, in MiB. */
export const MAX_WAV_MB = Math.floor((MAX_SECONDS * WAV_BYTES_PER_SECOND) / 2 ** 20);

/**
 * A real WAV of about `targetBytes` (a 440 Hz sine), cached under `cacheDir` by size so that
 * reruns skip the generation. Written to a temporary name and renamed, so a cached file is whole.
 */
export async function ensureWav(cacheDir: string, targetBytes: number, ffmpeg = 'ffmpeg'): Promise<MediaFile> {
  const samples = Math.floor((targetBytes - WAV_HEADER_BYTES) / (CHANNELS * BYTES_PER_SAMPLE));
  const seconds = samples / WAV_SAMPLE_RATE;
  if (seconds > MAX_SECONDS) {
    throw new Error(`A ${targetBytes}-byte WAV would last ${seconds.toFixed(0)} s; the limit is ${MAX_SECONDS} s`);
  }
  const path = join(cacheDir, `reelsmith-bench-${targetBytes}.wav`);
  if (existsSync(path)) {
    return { path, bytes: statSync(path).size, seconds, generatedMs: 0 };
  }
  await mkdir(cacheDir, { recursive: true });
  const temp = `${path}.${process.pid}.tmp.wav`;
  const started = performance.now();
  const result = await runCommand(ffmpeg, [
    ...['-v', 'error', '-nostdin', '-y'],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${WAV_SAMPLE_RATE}`],
    ...['-af', `atrim=end_sample=${samples}`, '-ac', String(CHANNELS), '-c:a', 'pcm_s24le'],
    ...['-bitexact', '-fflags', '+bitexact', '-f', 'wav', temp],
  ]);
  if (result.code !== 0) {
    await rm(temp, { force: true });
    throw new Error(`ffmpeg could not generate ${temp} (exit ${result.code}): ${result.stderr.trim()}`);
  }
  await rename(temp, path);
  return { path, bytes: statSync(path).size, seconds, generatedMs: performance.now() - started };
}
