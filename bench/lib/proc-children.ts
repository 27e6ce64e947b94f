import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { IntervalSampler } from './interval-sampler';

/** One child process of the watched parent, as seen by the sampler. */
export interface ChildProcessRecord {
  pid: number;
  comm: string;
  /** The command line, arguments joined by spaces (read when first seen). */
  cmdline: string;
  /** First and last time the sampler saw it (performance.now()). */
  firstSeen: number;
  lastSeen: number;
  /** Highest VmRSS sampled and highest VmHWM (the kernel's own peak RSS) read, in kB. */
  peakRssKb: number;
  peakHwmKb: number;
}

function statusFields(pid: string): { ppid: number; name: string; rssKb: number; hwmKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => new RegExp(`^${name}:\\s+(\\S+)`, 'm').exec(status)?.[1];
    return {
      ppid: Number(field('PPid')),
      name: field('Name') ?? '',
      rssKb: Number(field('VmRSS') ?? 0),
      hwmKb: Number(field('VmHWM') ?? 0),
    };
  } catch {
    return undefined;
  }
}

/**
 * Every `intervalMs`, scans /proc for the direct children of `parentPid` (ffmpeg, ffprobe,
 * espeak-ng, …) and keeps, per child, its peak RSS (sampled VmRSS and the kernel's VmHWM, which
 * also catches peaks between samples) and when it was first and last seen.
 */
export class ChildProcessSampler extends IntervalSampler {
  readonly records = new Map<number, ChildProcessRecord>();

  constructor(
    readonly parentPid: number,
    intervalMs = 50,
  ) {
    super(intervalMs);
  }

  sample(): void {
    const now = performance.now();
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) {
        continue;
      }
      const status = statusFields(entry);
      if (!status || status.ppid !== this.parentPid) {
        continue;
      }
      const pid = Number(entry);
      let record = this.records.get(pid);
      // Seen between fork and exec, a child still looks like its parent: start over once it has exec'd.
      if (record && record.comm !== status.name) {
        this.records.delete(pid);
        record = undefined;
      }
      if (!record) {
        let cmdline = '';
        try {
          cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
        } catch {
          // Gone already.
        }
        record = { pid, comm: status.name, cmdline, firstSeen: now, lastSeen: now, peakRssKb: 0, peakHwmKb: 0 };
        this.records.set(pid, record);
      }
      record.lastSeen = now;
      record.peakRssKb = Math.max(record.peakRssKb, status.rssKb);
      record.peakHwmKb = Math.max(record.peakHwmKb, status.hwmKb);
    }
  }

  /** Children first seen within [from, to]. */
  between(from: number, to: number): ChildProcessRecord[] {
    return [...this.records.values()].filter((r) => r.firstSeen >= from && r.firstSeen <= to);
  }
}
