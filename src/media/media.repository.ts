import { readFile } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { runProcess } from 'src/common/process/child-process.runner';
import { FfmpegProgressParser } from 'src/media/ffmpeg/ffmpeg-progress';
import { parseIntegratedLoudness } from 'src/media/ffmpeg/loudness';
import { buildProbeArgs } from 'src/media/ffmpeg/probe.args';
import { MediaInfo, parseProbe } from 'src/media/ffmpeg/probe.parser';
import { decodePcmWav, PcmAudio } from 'src/media/ffmpeg/wav';

export class FfmpegError extends Error {
  constructor(
    message: string,
    /** The tail of ffmpeg's stderr, for logs only (it can contain paths). */
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'FfmpegError';
  }
}

export interface FfmpegRunOptions {
  signal?: AbortSignal;
  /** Expected output duration, to turn ffmpeg's progress into a fraction. */
  durationMs?: number;
  onProgress?: (fraction: number) => void;
  /** Runs at a lower CPU priority (nice 10): work with slack, next to encodes that are waited for. */
  background?: boolean;
}

export class MediaProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaProbeError';
  }
}

const PROBE_TIMEOUT_MS = 15_000;
const BACKGROUND_NICENESS = 10;

/** The one place that runs ffprobe and ffmpeg (argv arrays, never a shell). */
@Injectable()
export class MediaRepository {
  constructor(private readonly config: AppConfig) {}

  /** Reads a local file's streams; rejects with MediaProbeError when ffprobe cannot make sense of it. */
  async probe(path: string, signal?: AbortSignal): Promise<MediaInfo> {
    const timeout = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    let stdout = '';
    const result = await runProcess(this.config.media.ffprobePath, buildProbeArgs(path), {
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      onStdout: (chunk) => (stdout += chunk),
    });
    if (result.code !== 0) {
      throw new MediaProbeError(`ffprobe could not read the file (exit ${result.code})`);
    }
    try {
      return parseProbe(stdout);
    } catch {
      throw new MediaProbeError('ffprobe printed no usable description');
    }
  }

  /** Runs ffmpeg with built arguments; progress comes from its own `-progress` output. */
  async ffmpeg(args: readonly string[], options: FfmpegRunOptions = {}): Promise<void> {
    const progress = new FfmpegProgressParser(options.durationMs ?? 0, (fraction) => options.onProgress?.(fraction));
    const result = await runProcess(this.config.media.ffmpegPath, ['-progress', 'pipe:1', '-nostats', ...args], {
      signal: options.signal,
      onStdout: (chunk) => progress.push(chunk),
      niceness: options.background ? BACKGROUND_NICENESS : 0,
    });
    if (result.code !== 0) {
      throw new FfmpegError(`ffmpeg failed (exit ${result.code ?? result.signal})`, result.stderr);
    }
  }

  /** A 16-bit PCM WAV file's samples (mono), or undefined when it is any other kind of file. */
  async readPcmWav(path: string): Promise<PcmAudio | undefined> {
    return decodePcmWav(await readFile(path));
  }

  /** The integrated loudness (LUFS) an ffmpeg run logged with `loudnessProbeFilters`, if any. */
  async loggedLoudness(logPath: string): Promise<number | undefined> {
    return parseIntegratedLoudness(await readFile(logPath, 'utf8').catch(() => ''));
  }
}
