import { fileInput } from 'src/media/ffmpeg/ffmpeg-args';
import { buildClipArgs, buildTrackArgs } from 'src/media/ffmpeg/speech-command.builder';

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

  const R = 'aresample=48000,aformat=channel_layouts=mono';
  const LIMIT = 'alimiter=limit=0.7943:level=0:latency=1';

  it.each([
    [['/a.wav'], 250, 3.5, `[0:a]${R}[s0];[s0]concat=n=1:v=0:a=1,volume=3.5dB,${LIMIT}[out]`],
    [
      ['/a.wav', '/b.wav', '/c.wav'],
      250,
      -2,
      `[0:a]${R},apad=pad_dur=0.25[s0];[1:a]${R},apad=pad_dur=0.25[s1];[2:a]${R}[s2];[s0][s1][s2]concat=n=3:v=0:a=1,volume=-2dB,${LIMIT}[out]`,
    ],
    [['/a.wav', '/b.wav'], 0, 0, `[0:a]${R}[s0];[1:a]${R}[s1];[s0][s1]concat=n=2:v=0:a=1,volume=0dB,${LIMIT}[out]`],
  ])('joins %j with %d ms pauses and applies a %s dB gain once', (clips, pause, gain, graph) => {
    const args = buildTrackArgs(clips, pause, gain, '/t/track.m4a');
    expect(args[args.indexOf('-filter_complex') + 1]).toBe(graph);
    expect(args.filter((arg) => arg === '-i')).toHaveLength(clips.length);
    expect(args.slice(-13).join(' ')).toBe(
      '-ac 1 -c:a aac -aac_coder fast -b:a 96k -movflags +faststart -f mp4 file:/t/track.m4a',
    );
  });

  it('writes float WAV to mix from', () => {
    const args = buildTrackArgs(['/a.wav'], 250, 0, '/t/track.wav', 'wav');
    expect(args.slice(-7).join(' ')).toBe('-ac 1 -c:a pcm_f32le -f wav file:/t/track.wav');
  });

  it('refuses an empty track', () => {
    expect(() => buildTrackArgs([], 250, 0, '/t/x.m4a')).toThrow();
  });
});
