/** How many leading bytes `sniffMime` needs. */
export const SNIFF_BYTES = 64;

const ascii = (buf: Buffer, offset: number, text: string) =>
  buf.length >= offset + text.length && buf.toString('latin1', offset, offset + text.length) === text;

const bytes = (buf: Buffer, offset: number, values: number[]) =>
  buf.length >= offset + values.length && values.every((value, i) => buf[offset + i] === value);

function isoMediaType(head: Buffer): string {
  const brand = head.toString('latin1', 8, 12);
  if (brand === 'M4A ' || brand === 'M4B ') {
    return 'audio/mp4';
  }
  return brand === 'qt  ' ? 'video/quicktime' : 'video/mp4';
}

function matroskaType(head: Buffer): string {
  return head.includes('webm', 0, 'latin1') ? 'video/webm' : 'video/x-matroska';
}

/**
 * The media type a file's first bytes announce, or undefined for anything that is not an image,
 * video or audio format we accept. The declared type and the file name are never consulted.
 */
export function sniffMime(head: Buffer): string | undefined {
  if (bytes(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return 'image/png';
  }
  if (bytes(head, 0, [0xff, 0xd8, 0xff])) {
    return 'image/jpeg';
  }
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) {
    return 'image/gif';
  }
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) {
    return 'image/webp';
  }
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WAVE')) {
    return 'audio/wav';
  }
  if (ascii(head, 4, 'ftyp')) {
    return isoMediaType(head);
  }
  if (bytes(head, 0, [0x1a, 0x45, 0xdf, 0xa3])) {
    return matroskaType(head);
  }
  if (ascii(head, 0, 'OggS')) {
    return 'audio/ogg';
  }
  if (ascii(head, 0, 'fLaC')) {
    return 'audio/flac';
  }
  if (ascii(head, 0, 'ID3')) {
    return 'audio/mpeg';
  }
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0) {
    // Frame sync: layer bits 00 mean AAC in ADTS, anything else an MPEG audio (MP3) frame.
    return (head[1] & 0x06) === 0 ? 'audio/aac' : 'audio/mpeg';
  }
  return undefined;
}
