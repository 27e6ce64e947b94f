import {
  buildAudioMasterArgs,
  buildAudioMixArgs,
  buildConcatList,
  buildMuxArgs,
  buildThumbnailArgs,
} from 'src/media/render/assembly-command.builder';
import type { AudioMixSpec } from 'src/media/render/render.types';

const head = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'];
const input = (path: string) => ['-protocol_whitelist', 'file', '-i', `file:${path}`];
const STEREO = 'aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo';
const MASTER = `ebur128=metadata=1,ametadata=mode=print:key=lavfi.r128.I:file=\\'/o/loudness.log\\',${STEREO}[aout]`;

describe(buildConcatList.name, () => {
  it('lists segments in order, read through the file protocol', () => {
    expect(buildConcatList(['/w/seg-0.mp4', '/w/seg-1.mp4'])).toBe(
      "ffconcat version 1.0\nfile 'file:/w/seg-0.mp4'\nfile 'file:/w/seg-1.mp4'\n",
    );
  });

  it.each([
    ["/w/it's/seg.mp4", String.raw`file 'file:/w/it'\''s/seg.mp4'`],
    ['/w/a b,c;d[e]:f\\g/seg.mp4', String.raw`file 'file:/w/a b,c;d[e]:f\g/seg.mp4'`],
    ["/w/''/seg.mp4", String.raw`file 'file:/w/'\'''\''/seg.mp4'`],
  ])('quotes %j the ffconcat way', (path, line) => {
    expect(buildConcatList([path]).split('\n')[1]).toBe(line);
  });

  it.each([[[]], [['seg.mp4']], [['/w/a\nfile /etc/passwd']], [['/w/a\r.mp4']]])('refuses %j', (paths) => {
    expect(() => buildConcatList(paths)).toThrow();
  });
});

describe(buildAudioMixArgs.name, () => {
  const base: AudioMixSpec = {
    narration: [
      { path: '/n/0.m4a', startMs: 0, durationMs: 4200 },
      { path: '/n/1.m4a', startMs: 4700, durationMs: 3000 },
    ],
    musicPath: '/m/music.mp3',
    musicVolume: 0.25,
    durationMs: 8200,
    output: '/o/audio.wav',
    loudnessLog: '/o/loudness.log',
  };
  const tail = (seconds: string) => [
    '-map',
    '[aout]',
    '-c:a',
    'pcm_f32le',
    '-t',
    seconds,
    '-f',
    'wav',
    'file:/o/audio.wav',
  ];
  const narrate = (i: number, seconds: string, delayMs: number) =>
    `[${i}:a]atrim=duration=${seconds},asetpts=PTS-STARTPTS,${STEREO},adelay=delays=${delayMs}:all=1[n${i}]`;

  it('ducks looped music under the narration', () => {
    const args = buildAudioMixArgs(base);
    expect(args).toEqual([
      ...head,
      ...input('/n/0.m4a'),
      ...input('/n/1.m4a'),
      '-stream_loop',
      '-1',
      ...input('/m/music.mp3'),
      '-filter_complex',
      expect.any(String),
      ...tail('8.2'),
    ]);
    expect(args[args.indexOf('-filter_complex') + 1].split(';')).toEqual([
      narrate(0, '4.2', 0),
      narrate(1, '3', 4700),
      '[n0][n1]amix=inputs=2:duration=longest:normalize=0,apad=whole_dur=8.2,atrim=duration=8.2,asplit=2[voice][key]',
      `[2:a]${STEREO},volume=0.25,atrim=duration=8.2[music]`,
      '[music][key]sidechaincompress=threshold=0.02:ratio=8:attack=20:release=400[ducked]',
      `[voice][ducked]amix=inputs=2:duration=first:normalize=0,${MASTER}`,
    ]);
  });

  it('measures a single narration without music', () => {
    const args = buildAudioMixArgs({
      ...base,
      narration: [{ path: '/n/0.m4a', startMs: 250.4, durationMs: 1999.6 }],
      musicPath: undefined,
      durationMs: 2500,
    });
    expect(args).toEqual([
      ...head,
      ...input('/n/0.m4a'),
      '-filter_complex',
      `${narrate(0, '2', 250)};[n0]apad=whole_dur=2.5,atrim=duration=2.5,${MASTER}`,
      ...tail('2.5'),
    ]);
  });

  it('plays music alone over a silent voice bed when nothing is narrated', () => {
    const args = buildAudioMixArgs({ ...base, narration: [], durationMs: 3000 });
    expect(args.slice(head.length, args.indexOf('-filter_complex'))).toEqual([
      '-stream_loop',
      '-1',
      ...input('/m/music.mp3'),
    ]);
    expect(args[args.indexOf('-filter_complex') + 1].split(';')).toEqual([
      'anullsrc=r=48000:cl=stereo,apad=whole_dur=3,atrim=duration=3,asplit=2[voice][key]',
      `[0:a]${STEREO},volume=0.25,atrim=duration=3[music]`,
      '[music][key]sidechaincompress=threshold=0.02:ratio=8:attack=20:release=400[ducked]',
      `[voice][ducked]amix=inputs=2:duration=first:normalize=0,${MASTER}`,
    ]);
  });

  it('writes silence when there is neither narration nor music', () => {
    const args = buildAudioMixArgs({ ...base, narration: [], musicPath: undefined, durationMs: 3000 });
    expect(args[args.indexOf('-filter_complex') + 1]).toBe(
      `anullsrc=r=48000:cl=stereo,apad=whole_dur=3,atrim=duration=3,${MASTER}`,
    );
  });
});

describe(buildAudioMasterArgs.name, () => {
  it.each([
    [-17.4, 'standard' as const, false, '3.4dB', ['-c:a', 'aac', '-aac_coder', 'fast', '-b:a', '128k']],
    [-9, 'high' as const, true, '-5dB', ['-c:a', 'aac', '-aac_coder', 'twoloop', '-b:a', '128k']],
    [undefined, 'draft' as const, false, '0dB', ['-c:a', 'aac', '-aac_coder', 'fast', '-b:a', '96k']],
    [-16, 'standard' as const, true, '2dB', ['-c:a', 'aac', '-aac_coder', 'fast', '-aac_ms', '0', '-b:a', '128k']],
  ])('brings %s LUFS to -14 at %s quality (music: %s)', (measuredLufs, quality, withMusic, gain, codec) => {
    const args = buildAudioMasterArgs({
      input: '/o/audio.wav',
      measuredLufs,
      quality,
      withMusic,
      output: '/o/audio.m4a',
    });
    expect(args).toEqual([
      ...head,
      ...input('/o/audio.wav'),
      '-vn',
      '-af',
      `volume=${gain},alimiter=limit=0.8414:level=0:latency=1,aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo`,
      ...codec,
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      'file:/o/audio.m4a',
    ]);
  });
});

describe(buildThumbnailArgs.name, () => {
  it.each([
    [1500, '1.5'],
    [-20, '0'],
  ])('grabs one JPEG frame at %d ms', (atMs, seconds) => {
    expect(buildThumbnailArgs('/o/video.mp4', atMs, '/o/thumb%d.jpg')).toEqual([
      ...head,
      '-ss',
      seconds,
      ...input('/o/video.mp4'),
      '-an',
      '-frames:v',
      '1',
      '-q:v',
      '3',
      '-update',
      '1',
      '-f',
      'image2',
      'file:/o/thumb%d.jpg',
    ]);
  });
});

describe(buildMuxArgs.name, () => {
  it('muxes by stream copy with the index up front', () => {
    expect(
      buildMuxArgs({
        concatListPath: '/t/list.ffconcat',
        audioPath: '/t/a.m4a',
        durationMs: 3500,
        output: '/t/out.mp4',
      }),
    ).toEqual([
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'concat',
      '-safe',
      '0',
      '-protocol_whitelist',
      'file',
      '-i',
      'file:/t/list.ffconcat',
      '-protocol_whitelist',
      'file',
      '-i',
      'file:/t/a.m4a',
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-c',
      'copy',
      '-t',
      '3.5',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      'file:/t/out.mp4',
    ]);
  });
});
