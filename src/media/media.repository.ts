import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { runProcess } from 'src/common/process/child-process.runner';
import { deferred } from 'src/common/utils/deferred';
import { FfmpegProgressParser } from 'src/media/ffmpeg/ffmpeg-progress';
import { parseIntegratedLoudness } from 'src/media/ffmpeg/loudness';
import { buildProbeArgs, buildStdinProbeArgs } from 'src/media/ffmpeg/probe.args';
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

/** An ffmpeg started before its filter graph is known, waiting for it on stdin (see `startFfmpeg`). */
export interface StartedFfmpeg {
  /** Writes the graph to its stdin; settles as `ffmpeg()` does. */
  run(graph: string, progress?: Pick<FfmpegRunOptions, 'durationMs' | 'onProgress'>): Promise<void>;
  /** Stops it if it still runs (unused, say); settles once it has ended. */
  stop(): Promise<void>;
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
  probe(path: string, signal?: AbortSignal): Promise<MediaInfo> {
    return this.runProbe(buildProbeArgs(path), AbortSignal.timeout(PROBE_TIMEOUT_MS), signal);
  }

  /**
   * Like `probe`, for a file that is still being written: ffprobe starts now and is streamed the
   * file once `written` gives its path, so its start-up (~50 ms of loading libraries here) overlaps
   * the writing. A rejected `written` rejects this too, once ffprobe has ended.
   */
  probeWhenWritten(written: Promise<string>, signal?: AbortSignal): Promise<MediaInfo> {
    const timeout = new AbortController();
    const input = written.then((path) => {
      setTimeout(() => timeout.abort(), PROBE_TIMEOUT_MS).unref();
      return createReadStream(path);
    });
    return this.runProbe(buildStdinProbeArgs(), timeout.signal, signal, input);
  }

  private async runProbe(
    args: string[],
    timeout: AbortSignal,
    signal: AbortSignal | undefined,
    input?: Promise<Readable>,
  ): Promise<MediaInfo> {
    let stdout = '';
    const result = await runProcess(this.config.media.ffprobePath, args, {
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      onStdout: (chunk) => (stdout += chunk),
      input,
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
  ffmpeg(args: readonly string[], options: FfmpegRunOptions = {}): Promise<void> {
    const progress = new FfmpegProgressParser(options.durationMs ?? 0, (fraction) => options.onProgress?.(fraction));
    return this.runFfmpeg(args, options, (chunk) => progress.push(chunk));
  }

  /**
   * Starts ffmpeg on argv that reads its filter graph from stdin (`-filter_complex_script pipe:0`)
   * before the graph is known: its start-up (~60 ms of loading libraries here) then overlaps the
   * work that decides the graph. It waits until `run` or `stop`.
   */
  startFfmpeg(args: readonly string[], options: Pick<FfmpegRunOptions, 'signal' | 'background'> = {}): StartedFfmpeg {
    const graph = deferred<string>();
    const unused = new AbortController();
    let progress: FfmpegProgressParser | undefined;
    const input = graph.promise.then((text) => Readable.from([text]));
    const ended = this.runFfmpeg(
      args,
      { ...options, signal: options.signal ? AbortSignal.any([options.signal, unused.signal]) : unused.signal },
      (chunk) => progress?.push(chunk),
      input,
    );
    // Whoever calls `run` sees the outcome; a stopped one's is of no interest.
    ended.catch(() => undefined);
    return {
      run: (text, { durationMs, onProgress } = {}) => {
        progress = new FfmpegProgressParser(durationMs ?? 0, (fraction) => onProgress?.(fraction));
        graph.resolve(text);
        return ended;
      },
      stop: async () => {
        unused.abort();
        graph.reject(new Error('not needed'));
        await ended.catch(() => undefined);
      },
    };
  }

  private async runFfmpeg(
    args: readonly string[],
    options: FfmpegRunOptions,
    onStdout: (chunk: string) => void,
    input?: Promise<Readable>,
  ): Promise<void> {
    const result = await runProcess(this.config.media.ffmpegPath, ['-progress', 'pipe:1', '-nostats', ...args], {
      signal: options.signal,
      onStdout,
      niceness: options.background ? BACKGROUND_NICENESS : 0,
      input,
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
