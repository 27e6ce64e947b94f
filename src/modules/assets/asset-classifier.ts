import { MediaInfo } from 'src/media/ffmpeg/probe.parser';

export type AssetKind = 'image' | 'video' | 'audio';

export interface AssetMediaFacts {
  kind: AssetKind;
  mimeType: string;
  width?: number;
  height?: number;
  durationMs?: number;
}

export const MAX_DIMENSION = 8192;
export const MAX_DURATION_MS = 3600 * 1000;

/** Why a file was refused; the message is safe to show (415). */
export class UnsupportedMediaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedMediaError';
  }
}

// Each sniffed type, the containers ffprobe may report for it: a file must agree with itself.
const FORMATS: Record<string, { kind: AssetKind; formats: string[] }> = {
  'image/png': { kind: 'image', formats: ['png_pipe'] },
  'image/jpeg': { kind: 'image', formats: ['jpeg_pipe', 'mjpeg'] },
  'image/gif': { kind: 'image', formats: ['gif'] },
  'image/webp': { kind: 'image', formats: ['webp_pipe'] },
  'video/mp4': { kind: 'video', formats: ['mov,mp4,m4a,3gp,3g2,mj2'] },
  'video/quicktime': { kind: 'video', formats: ['mov,mp4,m4a,3gp,3g2,mj2'] },
  'video/webm': { kind: 'video', formats: ['matroska,webm'] },
  'video/x-matroska': { kind: 'video', formats: ['matroska,webm'] },
  'audio/mp4': { kind: 'audio', formats: ['mov,mp4,m4a,3gp,3g2,mj2'] },
  'audio/wav': { kind: 'audio', formats: ['wav'] },
  'audio/mpeg': { kind: 'audio', formats: ['mp3'] },
  'audio/ogg': { kind: 'audio', formats: ['ogg'] },
  'audio/flac': { kind: 'audio', formats: ['flac'] },
  'audio/aac': { kind: 'audio', formats: ['aac'] },
};

function checkDimensions(info: MediaInfo): { width: number; height: number } {
  const { width = 0, height = 0 } = info.video ?? {};
  if (width <= 0 || height <= 0) {
    throw new UnsupportedMediaError('The picture has no readable size');
  }
  if (width > MAX_DIMENSION || height > MAX_DIMENSION) {
    throw new UnsupportedMediaError(`Pictures may be at most ${MAX_DIMENSION} px on each side`);
  }
  return { width, height };
}

function checkDuration(info: MediaInfo): number {
  if (info.durationMs <= 0) {
    throw new UnsupportedMediaError('The recording has no readable duration');
  }
  if (info.durationMs > MAX_DURATION_MS) {
    throw new UnsupportedMediaError('Recordings may be at most 1 hour long');
  }
  return info.durationMs;
}

/**
 * Decides what a file is from its magic bytes and what ffprobe found, and refuses anything that
 * does not agree with itself (a playlist, a concat list, a text file named .png) or is too large.
 */
export function classifyMedia(sniffed: string | undefined, info: MediaInfo): AssetMediaFacts {
  const expected = sniffed ? FORMATS[sniffed] : undefined;
  if (!sniffed || !expected || !expected.formats.includes(info.formatName)) {
    throw new UnsupportedMediaError('The file is not an image, video or audio file Reelsmith can use');
  }
  // An MP4 or WebM with no picture is a sound file, whatever its container says.
  const kind: AssetKind = expected.kind === 'video' && !info.video ? 'audio' : expected.kind;
  if (kind === 'image') {
    return { kind, mimeType: sniffed, ...checkDimensions(info) };
  }
  if (kind === 'video') {
    return { kind, mimeType: sniffed, ...checkDimensions(info), durationMs: checkDuration(info) };
  }
  if (!info.audio) {
    throw new UnsupportedMediaError('The file has no sound to play');
  }
  const mimeType = sniffed.startsWith('video/') ? sniffed.replace('video/', 'audio/') : sniffed;
  return { kind, mimeType, durationMs: checkDuration(info) };
}
