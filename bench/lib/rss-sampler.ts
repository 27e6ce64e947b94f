import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface RssSample {
  at: number;
  kb: number;
}

/** Reads VmRSS of one process (Linux /proc), in kB; undefined once the process is gone. */
export function readRssKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `intervalMs` (performance.now() timestamps) until stopped. */
export class RssSampler {
  readonly samples: RssSample[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    readonly pid: number,
    private readonly intervalMs = 50,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Takes a sample now and returns it (kB). */
  sample(): number {
    const kb = readRssKb(this.pid);
    if (kb !== undefined) {
      this.samples.push({ at: performance.now(), kb });
    }
    return kb ?? 0;
  }

  /** The highest sample taken in [from, to] (performance.now() times), in kB. */
  peakKb(from: number, to: number): number {
    return this.samples.reduce((peak, s) => (s.at >= from && s.at <= to && s.kb > peak ? s.kb : peak), 0);
  }

  /** How many samples fell in [from, to]. */
  count(from: number, to: number): number {
    return this.samples.filter((s) => s.at >= from && s.at <= to).length;
  }
}
