import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { IntervalSampler } from './interval-sampler';

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

// USER_HZ: the unit of the times in /proc/<pid>/stat; 100 on every Linux this runs on.
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used itself, and used by its children it has reaped. */
export interface CpuTimes {
  self: number;
  children: number;
}

export function readCpuTimes(pid: number): CpuTimes | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): state is field 3, utime field 14.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
    return { self: (utime + stime) / CLOCK_TICKS_PER_SECOND, children: (cutime + cstime) / CLOCK_TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds a process has used (user + system, plus its reaped children such as ffprobe);
 * undefined once the process is gone.
 */
export function readCpuSeconds(pid: number): number | undefined {
  const times = readCpuTimes(pid);
  return times && times.self + times.children;
}

/** Samples a process's RSS every `intervalMs` (performance.now() timestamps) until stopped. */
export class RssSampler extends IntervalSampler {
  readonly samples: RssSample[] = [];

  constructor(
    readonly pid: number,
    intervalMs = 50,
  ) {
    super(intervalMs);
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
