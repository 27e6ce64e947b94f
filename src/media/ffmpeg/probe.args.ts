/**
 * ffprobe's argv for one local file. Only the `file` protocol is allowed, so a crafted input
 * (an HLS playlist, a concat list, a URL) cannot make ffprobe read anything else; the `file:`
 * prefix keeps a name starting with "-" from being read as an option.
 */
export function buildProbeArgs(path: string): string[] {
  return [
    '-v',
    'error',
    '-protocol_whitelist',
    'file',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    '-i',
    `file:${path}`,
  ];
}
