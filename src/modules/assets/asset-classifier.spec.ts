import { classifyMedia, UnsupportedMediaError } from 'src/modules/assets/asset-classifier';
import { MediaInfo } from 'src/media/ffmpeg/probe.parser';

const MP4 = 'mov,mp4,m4a,3gp,3g2,mj2';
const video = (width: number, height: number) => ({ codec: 'h264', width, height, fps: 30, frames: 30 });
const audio = { codec: 'aac', channels: 2, sampleRate: 48000 };
const info = (formatName: string, extra: Partial<MediaInfo> = {}): MediaInfo => ({
  formatName,
  durationMs: 0,
  ...extra,
});

describe(classifyMedia.name, () => {
  it.each([
    [
      'a PNG',
      'image/png',
      info('png_pipe', { video: video(64, 48) }),
      { kind: 'image', mimeType: 'image/png', width: 64, height: 48 },
    ],
    [
      'an MP4 clip',
      'video/mp4',
      info(MP4, { durationMs: 1200, video: video(160, 120), audio }),
      { kind: 'video', mimeType: 'video/mp4', width: 160, height: 120, durationMs: 1200 },
    ],
    [
      'an M4A song',
      'audio/mp4',
      info(MP4, { durationMs: 5000, audio }),
      { kind: 'audio', mimeType: 'audio/mp4', durationMs: 5000 },
    ],
    [
      'an MP4 with sound only',
      'video/mp4',
      info(MP4, { durationMs: 900, audio }),
      { kind: 'audio', mimeType: 'audio/mp4', durationMs: 900 },
    ],
    [
      'a WAV',
      'audio/wav',
      info('wav', { durationMs: 500, audio }),
      { kind: 'audio', mimeType: 'audio/wav', durationMs: 500 },
    ],
  ])('accepts %s', (_name, sniffed, probe, expected) => {
    expect(classifyMedia(sniffed, probe)).toEqual(expected);
  });

  it.each([
    ['unknown magic bytes', undefined, info('png_pipe', { video: video(64, 48) })],
    ['a text file ffprobe read as image2 by its name', undefined, info('image2', { video: video(0, 0) })],
    ['magic bytes and container disagreeing', 'image/png', info('hls', { video: video(64, 48) })],
    ['a concat list', 'video/mp4', info('concat', { durationMs: 1000, video: video(64, 48) })],
    ['a picture wider than 8192 px', 'image/png', info('png_pipe', { video: video(8193, 10) })],
    ['a video taller than 8192 px', 'video/mp4', info(MP4, { durationMs: 1000, video: video(10, 9000) })],
    ['a picture of no size', 'image/jpeg', info('jpeg_pipe', { video: video(0, 0) })],
    [
      'a video over one hour',
      'video/webm',
      info('matroska,webm', { durationMs: 3600 * 1000 + 1, video: video(64, 48) }),
    ],
    ['a recording with no duration', 'audio/mpeg', info('mp3', { durationMs: 0, audio })],
    ['an audio file with no audio stream', 'audio/ogg', info('ogg', { durationMs: 1000 })],
  ])('refuses %s', (_name, sniffed, probe) => {
    expect(() => classifyMedia(sniffed, probe)).toThrow(UnsupportedMediaError);
  });
});
