import {
  buildClipArgs,
  buildTrackEncodeArgs,
  buildTrackJoinArgs,
  fileInput,
} from 'src/media/ffmpeg/speech-command.builder';

describe('speech command builders', () => {
  it('reads inputs through the file protocol only', () => {
    expect(fileInput('-odd name.wav')).toEqual(['-protocol_whitelist', 'file', '-i', 'file:-odd name.wav']);
  });

  it('normalises a clip to 48 kHz mono PCM', () => {
    expect(buildClipArgs('/t/in.wav', '/t/out.wav')).toEqual([
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      '-protocol_whitelist',
      'file',
      '-i',
      'file:/t/in.wav',
      '-vn',
      '-ac',
      '1',
      '-ar',
      '48000',
      '-c:a',
      'pcm_s16le',
      '-f',
      'wav',
      'file:/t/out.wav',
    ]);
  });

  const MEASURE = String.raw`ebur128=metadata=1,ametadata=mode=print:key=lavfi.r128.I:file=\'/t/loudness.log\'`;

  it.each([
    [['/a.wav'], 250, `[0:a]anull[s0];[s0]concat=n=1:v=0:a=1,${MEASURE},aresample=48000[out]`],
    [
      ['/a.wav', '/b.wav', '/c.wav'],
      250,
      `[0:a]apad=pad_dur=0.25[s0];[1:a]apad=pad_dur=0.25[s1];[2:a]anull[s2];[s0][s1][s2]concat=n=3:v=0:a=1,${MEASURE},aresample=48000[out]`,
    ],
    [
      ['/a.wav', '/b.wav'],
      0,
      `[0:a]anull[s0];[1:a]anull[s1];[s0][s1]concat=n=2:v=0:a=1,${MEASURE},aresample=48000[out]`,
    ],
  ])('joins %j with %d ms pauses into PCM, measuring loudness once', (clips, pause, graph) => {
    const args = buildTrackJoinArgs(clips, pause, '/t/track.wav', '/t/loudness.log');
    expect(args[args.indexOf('-filter_complex') + 1]).toBe(graph);
    expect(args.filter((arg) => arg === '-i')).toHaveLength(clips.length);
    expect(args.slice(-8)).toEqual(
      ['-map', '[out]', '-ac', '1', '-c:a', 'pcm_s16le', '-f', 'wav', 'file:/t/track.wav'].slice(-8),
    );
  });

  it.each([
    [-22.5, '6.5dB'],
    [-16, '0dB'],
    [-70, '0dB'],
  ])('encodes a track measured at %s LUFS with a gain of %s', (lufs, gain) => {
    const args = buildTrackEncodeArgs('/t/track.wav', lufs, '/t/track.m4a');
    expect(args[args.indexOf('-af') + 1]).toBe(
      `volume=${gain},alimiter=limit=0.7943:level=0:latency=1,aresample=48000,aformat=sample_fmts=fltp:channel_layouts=mono`,
    );
    expect(args.slice(-11)).toEqual([
      '-c:a',
      'aac',
      '-aac_coder',
      'fast',
      '-b:a',
      '96k',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      'file:/t/track.m4a',
    ]);
  });

  it('refuses an empty track', () => {
    expect(() => buildTrackJoinArgs([], 250, '/t/x.wav', '/t/l.log')).toThrow();
  });
});
