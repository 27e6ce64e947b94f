const PROBE_OUTPUT = ['-print_format', 'json', '-show_format', '-show_streams'];

/**
 * ffprobe's argv for one local file. Only the `file` protocol is allowed, so a crafted input
 * (an HLS playlist, a concat list, a URL) cannot make ffprobe read anything else; the `file:`
 * prefix keeps a name starting with "-" from being read as an option.
 */
export function buildProbeArgs(path: string): string[] {
  return ['-v', 'error', '-protocol_whitelist', 'file', ...PROBE_OUTPUT, '-i', `file:${path}`];
}

/** ffprobe's argv for a file streamed to its stdin (only the `pipe` protocol is allowed). */
export function buildStdinProbeArgs(): string[] {
  return ['-v', 'error', '-protocol_whitelist', 'pipe', ...PROBE_OUTPUT, '-i', 'pipe:0'];
}
