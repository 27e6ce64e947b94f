import { audioEncoderArgs, videoEncoderArgs } from 'src/media/render/render-presets';

describe('render presets', () => {
  it.each([
    ['draft' as const, 30, 'ultrafast', '28', '60', '0', '30'],
    ['standard' as const, 30, 'veryfast', '23', '60', '3', '30'],
    ['high' as const, 30, 'fast', '20', '60', '3', '30'],
    ['standard' as const, 15, 'veryfast', '23', '30', '3', '15'],
  ])('encodes %s at %d fps with a closed 2-second GOP', (quality, fps, preset, crf, gop, bf, timescale) => {
    expect(videoEncoderArgs(quality, fps)).toEqual([
      '-c:v',
      'libx264',
      '-preset',
      preset,
      '-crf',
      crf,
      '-g',
      gop,
      '-sc_threshold',
      '0',
      '-bf',
      bf,
      '-flags',
      '+cgop',
      '-pix_fmt',
      'yuv420p',
      '-video_track_timescale',
      timescale,
    ]);
  });

  it.each([
    ['draft' as const, 'fast', '96k'],
    ['standard' as const, 'fast', '128k'],
    ['high' as const, 'twoloop', '128k'],
  ])('encodes %s audio as AAC (%s coder) at %s', (quality, coder, bitrate) => {
    expect(audioEncoderArgs(quality)).toEqual(['-c:a', 'aac', '-aac_coder', coder, '-b:a', bitrate]);
  });

  it.each([
    ['draft' as const, ['-aac_ms', '0']],
    ['standard' as const, ['-aac_ms', '0']],
    ['high' as const, []],
  ])('skips the mid/side search under music at %s quality unless the coder gains from it', (quality, midSide) => {
    const plain = audioEncoderArgs(quality);
    expect(audioEncoderArgs(quality, true)).toEqual([...plain.slice(0, 4), ...midSide, ...plain.slice(4)]);
  });
});
