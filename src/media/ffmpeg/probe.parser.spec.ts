import { buildProbeArgs } from 'src/media/ffmpeg/probe.args';
import { parseProbe, parseRate } from 'src/media/ffmpeg/probe.parser';

const stub = (value: object) => JSON.stringify(value);

describe(parseProbe.name, () => {
  it.each([
    [
      'an H.264 + AAC MP4',
      stub({
        format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '1.200000' },
        streams: [
          { codec_type: 'video', codec_name: 'h264', width: 160, height: 120, avg_frame_rate: '25/1', nb_frames: '30' },
          { codec_type: 'audio', codec_name: 'aac', channels: 1, sample_rate: '44100' },
        ],
      }),
      {
        formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
        durationMs: 1200,
        video: { codec: 'h264', width: 160, height: 120, fps: 25, frames: 30 },
        audio: { codec: 'aac', channels: 1, sampleRate: 44100 },
      },
    ],
    [
      'a PNG (no duration)',
      stub({
        format: { format_name: 'png_pipe' },
        streams: [
          {
            codec_type: 'video',
            codec_name: 'png',
            width: 64,
            height: 48,
            avg_frame_rate: '0/0',
            r_frame_rate: '25/1',
          },
        ],
      }),
      { formatName: 'png_pipe', durationMs: 0, video: { codec: 'png', width: 64, height: 48, fps: 25, frames: 0 } },
    ],
    [
      'a WAV whose duration sits on the stream only',
      stub({
        format: { format_name: 'wav' },
        streams: [{ codec_type: 'audio', codec_name: 'pcm_s16le', channels: 2, sample_rate: '48000', duration: '0.5' }],
      }),
      { formatName: 'wav', durationMs: 500, audio: { codec: 'pcm_s16le', channels: 2, sampleRate: 48000 } },
    ],
    ['nothing at all', stub({}), { formatName: '', durationMs: 0 }],
  ])('reads %s', (_name, json, expected) => {
    expect(parseProbe(json)).toEqual(expected);
  });

  it('refuses output that is not JSON', () => {
    expect(() => parseProbe('Invalid data found when processing input')).toThrow(SyntaxError);
  });
});

describe(parseRate.name, () => {
  it.each([
    ['30000/1001', 29.97],
    ['25/1', 25],
    ['0/0', 0],
    [undefined, 0],
  ])('%s → %d', (rate, fps) => expect(parseRate(rate)).toBe(fps));
});

describe(buildProbeArgs.name, () => {
  it('allows only the file protocol and keeps a leading dash from reading as an option', () => {
    expect(buildProbeArgs('-evil.mp4')).toEqual([
      '-v',
      'error',
      '-protocol_whitelist',
      'file',
      '-print_format',
      'json',
      '-show_format',
      '-show_streams',
      '-i',
      'file:-evil.mp4',
    ]);
  });
});
