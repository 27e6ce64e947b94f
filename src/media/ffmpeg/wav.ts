/**
 * The length of a RIFF/WAVE file from its header: the `data` chunk's size over the `fmt ` chunk's
 * byte rate. Our own ffmpeg writes every WAV we measure (seekable output, so the sizes are final),
 * which spares an ffprobe process per clip. Undefined when the header is not a plain WAV.
 */
export function parseWavDurationMs(header: Buffer): number | undefined {
  if (header.length < 12 || header.toString('ascii', 0, 4) !== 'RIFF' || header.toString('ascii', 8, 12) !== 'WAVE') {
    return undefined;
  }
  let byteRate: number | undefined;
  for (let offset = 12; offset + 8 <= header.length;) {
    const id = header.toString('ascii', offset, offset + 4);
    const size = header.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 20 <= header.length) {
      byteRate = header.readUInt32LE(offset + 16);
    } else if (id === 'data') {
      // 0 or 0xFFFFFFFF: a streamed header whose sizes were never filled in.
      if (!byteRate || size === 0xffffffff) {
        return undefined;
      }
      return (size * 1000) / byteRate;
    }
    // Chunks are word-aligned: an odd size is followed by a pad byte.
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

/** Enough of a WAV file to reach its `data` chunk (ffmpeg writes a small LIST chunk before it). */
export const WAV_HEADER_BYTES = 4096;
