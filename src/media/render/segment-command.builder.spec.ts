import type {
  RenderQuality,
  RenderTemplate,
  SceneVisual,
  SegmentSpec,
  SubtitleCue,
} from 'src/media/render/render.types';
import {
  buildSegmentCommand,
  buildTitleCardAss,
  FrameInterval,
  MAX_STILL_INTERVALS,
  segmentDurationMs,
  segmentFrameCount,
  stillIntervals,
} from 'src/media/render/segment-command.builder';

const template: RenderTemplate = Object.freeze({
  width: 180,
  height: 320,
  fps: 15,
  fontFamily: 'Noto Sans CJK SC',
  subtitleStyle: Object.freeze({
    fontSize: 20,
    primaryColor: '#FFFFFF',
    outlineColor: '#101010',
    position: 'bottom' as const,
  }),
  transition: 'none' as const,
  // A 12-frame dip to black at 15 fps: 6 frames out at the end of one scene, 6 in at the next.
  transitionMs: 800,
  musicVolume: 0.3,
  kenBurns: false,
});

const image: SceneVisual = { kind: 'image', path: '/m/photo.jpg', width: 640, height: 480 };
const shortClip: SceneVisual = { kind: 'video', path: '/m/clip.mp4', width: 160, height: 120, durationMs: 1200 };
const longClip: SceneVisual = { kind: 'video', path: '/m/clip.mp4', width: 1920, height: 1080, durationMs: 9000 };
const card: SceneVisual = { kind: 'title-card', text: '第三章', background: '#336699', titleAssPath: '/w/title.ass' };

const spec = (
  visual: SceneVisual,
  over: Partial<Omit<SegmentSpec, 'template'>> = {},
  tpl: Partial<RenderTemplate> = {},
): SegmentSpec => ({
  index: 0,
  durationMs: 2000,
  visual,
  template: { ...template, ...tpl },
  quality: 'draft',
  ...over,
});

const head = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'];
const imageInput = ['-f', 'image2pipe', '-protocol_whitelist', 'file', '-i', 'file:/m/photo.jpg'];
const clipInput = ['-protocol_whitelist', 'file', '-i', 'file:/m/clip.mp4'];
const output = (quality: RenderQuality = 'draft') => [
  '-map',
  '[v]',
  '-r',
  '15',
  '-an',
  '-sn',
  '-dn',
  '-c:v',
  'libx264',
  '-preset',
  quality === 'draft' ? 'ultrafast' : 'veryfast',
  '-crf',
  quality === 'draft' ? '28' : '23',
  '-g',
  '30',
  '-sc_threshold',
  '0',
  '-bf',
  quality === 'draft' ? '0' : '3',
  '-flags',
  '+cgop',
  '-pix_fmt',
  'yuv420p',
  '-video_track_timescale',
  '15',
  '-f',
  'mp4',
  'file:/o/seg.mp4',
];

const STILL = 'setsar=1,format=yuv420p';
const LOOP = 'loop=loop=-1:size=1,settb=1/15,setpts=N';
const COVER = `scale=180:320:force_original_aspect_ratio=increase,crop=180:320,${STILL}`;
const COVER_KB = `scale=198:352:force_original_aspect_ratio=increase,crop=198:352,${STILL}`;
const SLIDE_X = '180*(1-pow(1-min(n/12,1),2))';
const CONCAT = (n: number) => `concat=n=${n}:v=1:a=0,settb=1/15,setpts=N`;
const SUB = String.raw`ass=filename=\'/s/sub.ass\'`;
const CLIP =
  'fps=15,scale=180:320:force_original_aspect_ratio=increase,crop=180:320,setsar=1,format=yuv420p,settb=1/15,setpts=N';

/** The graph as the builder writes it: the scene's frame count is its last filter. */
const framed = (graph: string, frames: number) => `${graph.slice(0, -'[v]'.length)},trim=end_frame=${frames}[v]`;
const argsOf = (segment: SegmentSpec) => buildSegmentCommand(segment, '/o/seg.mp4').args;
const fullGraphOf = (segment: SegmentSpec) => buildSegmentCommand(segment, '/o/seg.mp4').graph;

describe(buildSegmentCommand.name, () => {
  it.each<[string, SegmentSpec, string[], string, number]>([
    ['a still image, decoded once and looped', spec(image), imageInput, `[0:v]${COVER},${LOOP}[v]`, 30],
    [
      'a Ken Burns pan: scaled once to 110 %, then a moving crop (first scene: no fade-in)',
      spec(image, {}, { kenBurns: true, transition: 'fade' }),
      imageInput,
      `[0:v]${COVER_KB},${LOOP},crop=180:320:x='18*n/29':y='32*n/29',fade=t=out:s=24:n=6[v]`,
      30,
    ],
    [
      'an odd scene panning back, with subtitles, fonts and both fades',
      spec(
        image,
        { index: 3, subtitlesPath: '/s/sub.ass', fontsDir: '/fonts' },
        { kenBurns: true, transition: 'fade' },
      ),
      imageInput,
      `[0:v]${COVER_KB},${LOOP},crop=180:320:x='18*(1-n/29)':y='32*(1-n/29)',` +
        String.raw`ass=filename=\'/s/sub.ass\':fontsdir=\'/fonts\',` +
        'fade=t=in:s=0:n=6,fade=t=out:s=24:n=6[v]',
      30,
    ],
    [
      'a slide under a pan: black padded on once, before the loop; the pan starts at the left edge',
      spec(image, { index: 1 }, { kenBurns: true, transition: 'slide' }),
      imageInput,
      `[0:v]${COVER_KB},pad=378:352:180:0:black,${LOOP},crop=180:320:x='${SLIDE_X}+18*n/29':y='32*(1-n/29)'[v]`,
      30,
    ],
    [
      'a slide without a pan',
      spec(image, { index: 2 }, { transition: 'slide' }),
      imageInput,
      `[0:v]${COVER},pad=360:320:180:0:black,${LOOP},crop=180:320:x='${SLIDE_X}':y='0'[v]`,
      30,
    ],
    [
      'no slide into the first scene',
      spec(image, { index: 0 }, { transition: 'slide' }),
      imageInput,
      `[0:v]${COVER},${LOOP}[v]`,
      30,
    ],
    [
      'a clip shorter than the scene, looped',
      spec(shortClip),
      ['-stream_loop', '-1', ...clipInput],
      `[0:v]${CLIP}[v]`,
      30,
    ],
    [
      'a clip longer than the scene, cut, sliding in over at most half of it',
      spec(longClip, { index: 1, durationMs: 1000 }, { transition: 'slide' }),
      clipInput,
      `[0:v]${CLIP},pad=360:320:180:0:black,crop=180:320:x='180*(1-pow(1-min(n/7,1),2))':y='0'[v]`,
      15,
    ],
    [
      'a clip barely longer than the scene, looped in case its video ends before its audio',
      spec({ ...shortClip, durationMs: 2900 }),
      ['-stream_loop', '-1', ...clipInput],
      `[0:v]${CLIP}[v]`,
      30,
    ],
    [
      'a clip of unknown length (probed as 0), looped, never panned',
      spec({ ...shortClip, durationMs: 0 }, {}, { kenBurns: true }),
      ['-stream_loop', '-1', ...clipInput],
      `[0:v]${CLIP}[v]`,
      30,
    ],
    [
      'a title card: one frame of colour with libass text, looped, only its fades filtered frame by frame',
      spec(card, { index: 2 }, { transition: 'fade' }),
      [],
      String.raw`color=c=0x336699:s=180x320:r=15,trim=end_frame=1,ass=filename=\'/w/title.ass\',` +
        // 13 frames to draw: the 6 of the fade-in, the steady run's first, the 6 of the fade-out
        // (numbered as frames 24–29 of the scene); then split back into runs.
        `${STILL},loop=loop=12:size=1,settb=1/15,setpts='N+17*between(N,7,12)',split=3[drawn0][drawn1][drawn2];` +
        `[drawn0]select='between(n,0,5)',fade=t=in:s=0:n=6[run0];` +
        `[drawn1]select='eq(n,6)',loop=loop=17:size=1[run1];` +
        `[drawn2]select='between(n,7,12)',fade=t=out:s=0:n=6[run2];` +
        `[run0][run1][run2]${CONCAT(3)}[v]`,
      30,
    ],
    [
      'a sliding title card with subtitles and fonts',
      spec(card, { index: 1, subtitlesPath: '/s/sub.ass', fontsDir: '/f' }, { transition: 'slide' }),
      [],
      String.raw`color=c=0x336699:s=180x320:r=15,trim=end_frame=1,ass=filename=\'/w/title.ass\':fontsdir=\'/f\',` +
        `${STILL},pad=360:320:180:0:black,${LOOP},crop=180:320:x='${SLIDE_X}':y='0',` +
        String.raw`ass=filename=\'/s/sub.ass\':fontsdir=\'/f\'[v]`,
      30,
    ],
    [
      'the dip shortened to a short scene: all of it fades',
      spec(image, { index: 1, durationMs: 500 }, { transition: 'fade' }),
      imageInput,
      `[0:v]${COVER},loop=loop=7:size=1,settb=1/15,setpts='N',split=2[drawn0][drawn1];` +
        `[drawn0]select='between(n,0,3)',fade=t=in:s=0:n=4[run0];` +
        `[drawn1]select='between(n,4,7)',fade=t=out:s=0:n=4[run1];` +
        `[run0][run1]${CONCAT(2)}[v]`,
      8,
    ],
    [
      'an odd dip: the frame over goes to the fade-in',
      spec(image, { index: 1 }, { transition: 'fade', transitionMs: 600 }),
      imageInput,
      `[0:v]${COVER},loop=loop=9:size=1,settb=1/15,setpts='N+20*between(N,6,9)',split=3[drawn0][drawn1][drawn2];` +
        `[drawn0]select='between(n,0,4)',fade=t=in:s=0:n=5[run0];` +
        `[drawn1]select='eq(n,5)',loop=loop=20:size=1[run1];` +
        `[drawn2]select='between(n,6,9)',fade=t=out:s=0:n=4[run2];` +
        `[run0][run1][run2]${CONCAT(3)}[v]`,
      30,
    ],
    [
      'a one-frame steady run between the fades',
      spec(image, { index: 1, durationMs: 870 }, { transition: 'fade' }),
      imageInput,
      `[0:v]${COVER},loop=loop=12:size=1,settb=1/15,setpts='N',split=3[drawn0][drawn1][drawn2];` +
        `[drawn0]select='between(n,0,5)',fade=t=in:s=0:n=6[run0];[drawn1]select='eq(n,6)'[run1];` +
        `[drawn2]select='between(n,7,12)',fade=t=out:s=0:n=6[run2];` +
        `[run0][run1][run2]${CONCAT(3)}[v]`,
      13,
    ],
    [
      'no fade when the transition has no length',
      spec(image, { index: 1 }, { transition: 'fade', transitionMs: 0 }),
      imageInput,
      `[0:v]${COVER},${LOOP}[v]`,
      30,
    ],
  ])('%s', (_, segment, inputs, graph, frames) => {
    expect(buildSegmentCommand(segment, '/o/seg.mp4')).toEqual({
      args: [...head, ...inputs, '-filter_complex_script', 'pipe:0', ...output()],
      graph: framed(graph, frames),
    });
  });

  it.each<[string, SceneVisual]>([
    ['a still', image],
    ['a title card', card],
    ['a clip longer than any of these scenes', longClip],
  ])('starts %s with the same argv whatever the scene’s length and words', (_, visual) => {
    const short = spec(visual, { durationMs: 1000 });
    const long = spec(visual, { durationMs: 4000, subtitlesPath: '/s/sub.ass', subtitleCues: [] });
    expect(argsOf(long)).toEqual(argsOf(short));
    expect(fullGraphOf(long)).not.toEqual(fullGraphOf(short));
  });

  it('escapes every path that reaches a filter', () => {
    const graph = fullGraphOf(
      spec({ ...card, titleAssPath: "/w/it's: [a],b;c\\d.ass" }, { subtitlesPath: '/s/x:y.ass', fontsDir: '/f,g' }),
    );
    expect(graph).toBe(
      String.raw`color=c=0x336699:s=180x320:r=15,trim=end_frame=1,ass=filename=\'/w/it\'\\\'\'s: \[a\]\,b\;c\\d.ass\':fontsdir=\'/f\,g\',` +
        `${STILL},${LOOP},` +
        String.raw`ass=filename=\'/s/x:y.ass\':fontsdir=\'/f\,g\',trim=end_frame=30[v]`,
    );
  });

  it('reads inputs through the file protocol only, even names that look like options', () => {
    const args = argsOf(spec({ ...image, path: '-i http://x/a.jpg' }));
    expect(args.slice(5, 11)).toEqual([
      '-f',
      'image2pipe',
      '-protocol_whitelist',
      'file',
      '-i',
      'file:-i http://x/a.jpg',
    ]);
  });

  it('uses the quality preset', () => {
    const args = argsOf(spec(image, {}, {}));
    expect(argsOf({ ...spec(image), quality: 'standard' })).toEqual([
      ...args.slice(0, args.indexOf('-map')),
      ...output('standard'),
    ]);
  });

  it('pins the encoder threads only when asked', () => {
    const args = argsOf(spec(image));
    const pinned = argsOf({ ...spec(image), threads: 1 });
    expect(args).not.toContain('-threads');
    const at = pinned.indexOf('-threads');
    expect(pinned.slice(at, at + 3)).toEqual(['-threads', '1', '-c:v']);
    expect(pinned.filter((_, i) => i !== at && i !== at + 1)).toEqual(args);
  });

  it.each<[string, number, number]>([
    ['a second in', 1000, 15],
    ['at the start', 0, 0],
    ['past the end: the last frame', 60_000, 29],
  ])('writes the poster frame %s as a JPEG from the same graph', (_, atMs, frame) => {
    const plain = buildSegmentCommand(spec(image, { subtitlesPath: '/s/sub.ass' }), '/o/seg.mp4');
    const { args, graph } = buildSegmentCommand(
      spec(image, { subtitlesPath: '/s/sub.ass', thumbnail: { path: "/o/it's.jpg", atMs } }),
      '/o/seg.mp4',
    );
    expect(graph).toBe(
      `${plain.graph.slice(0, -'[v]'.length)},split=2[v][poster];` +
        `[poster]trim=start_frame=${frame}:end_frame=${frame + 1}[thumb]`,
    );
    const rest = [
      ...['-map', '[thumb]', '-frames:v', '1', '-q:v', '3', '-update', '1', '-f', 'image2'],
      "file:/o/it's.jpg",
    ];
    expect(args.slice(-rest.length)).toEqual(rest);
    expect(args.slice(0, -rest.length)).toEqual(plain.args);
  });

  it.each<[string, SegmentSpec, RegExp]>([
    ['an odd width', spec(image, {}, { width: 181 }), /even frame size/],
    ['a fractional frame rate', spec(image, {}, { fps: 29.97 }), /whole number/],
    ['no duration', spec(image, { durationMs: 0 }), /positive duration/],
    ['a colour that is not #RRGGBB', spec({ ...card, background: 'red:s=9999x9999' }), /#RRGGBB/],
  ])('refuses %s', (_, segment, error) => {
    expect(() => buildSegmentCommand(segment, '/o/seg.mp4')).toThrow(error);
  });
});

describe('still scenes, drawn once per run of alike frames', () => {
  // 30 frames at 15 fps; the dip's halves are 6 frames: [0, 6) in and [24, 30) out, except in the first scene.
  const cue = (startMs: number, endMs: number, text = 'Hi'): SubtitleCue => ({ startMs, endMs, text });
  const subtitled = (subtitleCues: SubtitleCue[] | undefined, over: Partial<SegmentSpec> = {}, tpl = {}) =>
    spec(card, { index: 1, subtitlesPath: '/s/sub.ass', subtitleCues, ...over }, { transition: 'fade', ...tpl });
  const run = (start: number, end: number, fade?: 'in' | 'out'): FrameInterval =>
    fade ? { start, end, fade } : { start, end };
  const FADES = [run(0, 6, 'in'), run(24, 30, 'out')];
  // n cues, 100 ms each, back to back from 100 ms: n + 1 cuts, n + 2 runs.
  const backToBack = (n: number) => Array.from({ length: n }, (_, i) => cue(100 * (i + 1), 100 * (i + 2)));

  it.each<[string, SegmentSpec, FrameInterval[] | undefined]>([
    ['no cues: the fades and one steady run', subtitled([]), [FADES[0], run(6, 24), FADES[1]]],
    ['the first scene has no fade-in', subtitled([], { index: 0 }), [run(0, 24), FADES[1]]],
    [
      // 500 ms is frame 7.5, drawn from frame 8; 1200 ms is exactly frame 18.
      'a cue cuts where it starts and where it ends (start <= t < end)',
      subtitled([cue(500, 1200)]),
      [FADES[0], run(6, 8), run(8, 18), run(18, 24), FADES[1]],
    ],
    [
      'back-to-back cues cut once between them',
      subtitled([cue(500, 1000), cue(1000, 1400)]),
      [FADES[0], run(6, 8), run(8, 15), run(15, 21), run(21, 24), FADES[1]],
    ],
    [
      'changes inside a fade are left to the fade, drawn frame by frame',
      subtitled([cue(100, 300), cue(300, 1800)]),
      [FADES[0], run(6, 24), FADES[1]],
    ],
    [
      'cues past the end cut nothing past it',
      subtitled([cue(1500, 2500), cue(2600, 3000)]),
      [FADES[0], run(6, 23), run(23, 24), FADES[1]],
    ],
    [
      // 1004 ms is written as 0:00:01.00 (frame 15, not 16), 1396 ms as 0:00:01.40 (frame 21, not 20).
      'times as the .ass file rounds them, to centiseconds',
      subtitled([cue(1004, 1396)]),
      [FADES[0], run(6, 15), run(15, 21), run(21, 24), FADES[1]],
    ],
    [
      'a cue between two frames is never drawn and cuts nothing',
      subtitled([cue(1010, 1050)]),
      [FADES[0], run(6, 24), FADES[1]],
    ],
    [
      // buildAss shows it as 4 events: 200, 560 (559), 1050 (1045), 1450 (1446) to 1700 ms.
      'a cue too long for two lines changes as buildAss splits it',
      subtitled(
        [cue(200, 1700, 'A quiet morning in the old town, before the market opens and the streets fill')],
        {},
        {
          transition: 'none',
        },
      ),
      [run(0, 3), run(3, 9), run(9, 16), run(16, 22), run(22, 26), run(26, 30)],
    ],
    [
      'text already in lines is one event',
      subtitled(
        [cue(200, 1700, 'A quiet morning in the old town,\nbefore the market opens')],
        {},
        { transition: 'none' },
      ),
      [run(0, 3), run(3, 26), run(26, 30)],
    ],
    [
      // ffmpeg asks libass for trunc(111 × (1/15) × 1000) = 7399 ms at frame 111, not 7400.
      'frames timed as ffmpeg times them',
      subtitled([cue(7400, 7800)], { durationMs: 8000 }, { transition: 'none' }),
      [run(0, 112), run(112, 117), run(117, 120)],
    ],
    ['fades without subtitles', spec(card, { index: 1 }, { transition: 'fade' }), [FADES[0], run(6, 24), FADES[1]]],
    [
      'cues without a subtitles file draw nothing',
      spec(card, { index: 1, subtitleCues: [cue(500, 1200)] }, { transition: 'fade' }),
      [FADES[0], run(6, 24), FADES[1]],
    ],
    ['frame by frame: subtitles whose cues are unknown', subtitled(undefined), undefined],
    ['frame by frame: nothing to filter', spec(card, { index: 1 }), undefined],
    [
      'frame by frame: more runs than the graph should hold',
      subtitled(backToBack(MAX_STILL_INTERVALS - 1), { durationMs: 20_000 }, { transition: 'none' }),
      undefined,
    ],
  ])('%s', (_, segment, intervals) => {
    expect(stillIntervals(segment)).toEqual(intervals);
  });

  it('holds up to the limit of runs', () => {
    const segment = subtitled(backToBack(MAX_STILL_INTERVALS - 2), { durationMs: 20_000 }, { transition: 'none' });
    expect(stillIntervals(segment)).toHaveLength(MAX_STILL_INTERVALS);
  });

  // The graphs below end in the scene's frames; the trim holding them to that count is left out.
  const graphOf = (segment: SegmentSpec) => fullGraphOf(segment).replace(/,trim=end_frame=\d+\[v\]$/, '[v]');

  it.each<[string, SegmentSpec, string]>([
    [
      'a title card: subtitles drawn once per steady run, on a frame stamped as the run start',
      subtitled([cue(500, 1200)]),
      String.raw`color=c=0x336699:s=180x320:r=15,trim=end_frame=1,ass=filename=\'/w/title.ass\',` +
        // One libass pass over 15 frames: the fade-in's 6 (frames 0–5), the first frames of the runs
        // at 6, 8 and 18, the fade-out's 6 (frames 24–29); then split back into runs.
        `${STILL},loop=loop=14:size=1,settb=1/15,setpts='N+1*eq(N,7)+10*eq(N,8)+15*between(N,9,14)',${SUB},` +
        'split=5[drawn0][drawn1][drawn2][drawn3][drawn4];' +
        `[drawn0]select='between(n,0,5)',fade=t=in:s=0:n=6[run0];` +
        `[drawn1]select='eq(n,6)',loop=loop=1:size=1[run1];` +
        `[drawn2]select='eq(n,7)',loop=loop=9:size=1[run2];` +
        `[drawn3]select='eq(n,8)',loop=loop=5:size=1[run3];` +
        `[drawn4]select='between(n,9,14)',fade=t=out:s=0:n=6[run4];` +
        `[run0][run1][run2][run3][run4]${CONCAT(5)}[v]`,
    ],
    [
      'an image without a pan, one cue over the whole scene: a single run, no concat',
      subtitled([cue(0, 2000)], { visual: image, fontsDir: '/f' }, { transition: 'none' }),
      String.raw`[0:v]${COVER},settb=1/15,setpts='N',ass=filename=\'/s/sub.ass\':fontsdir=\'/f\',` +
        'loop=loop=29:size=1,setpts=N[v]',
    ],
    [
      'a one-frame run is not looped',
      subtitled([cue(500, 600)], { visual: image, index: 0 }, { transition: 'none' }),
      `[0:v]${COVER},loop=loop=2:size=1,settb=1/15,setpts='N+7*eq(N,1)+7*eq(N,2)',${SUB},` +
        'split=3[drawn0][drawn1][drawn2];' +
        `[drawn0]select='eq(n,0)',loop=loop=7:size=1[run0];[drawn1]select='eq(n,1)'[run1];` +
        `[drawn2]select='eq(n,2)',loop=loop=20:size=1[run2];` +
        `[run0][run1][run2]${CONCAT(3)}[v]`,
    ],
    [
      'a Ken Burns pan moves every frame: filtered frame by frame as before',
      subtitled([cue(500, 1200)], { visual: image }, { kenBurns: true }),
      `[0:v]${COVER_KB},${LOOP},crop=180:320:x='18*(1-n/29)':y='32*(1-n/29)',${SUB},` +
        'fade=t=in:s=0:n=6,fade=t=out:s=24:n=6[v]',
    ],
    [
      'a slide moves: filtered frame by frame as before',
      subtitled([cue(500, 1200)], { visual: image }, { transition: 'slide' }),
      `[0:v]${COVER},pad=360:320:180:0:black,${LOOP},crop=180:320:x='${SLIDE_X}':y='0',${SUB}[v]`,
    ],
    [
      'a clip: filtered frame by frame as before',
      subtitled([cue(500, 1200)], { visual: longClip }),
      `[0:v]${CLIP},${SUB},fade=t=in:s=0:n=6,fade=t=out:s=24:n=6[v]`,
    ],
    [
      'subtitles with unknown cues: filtered frame by frame as before',
      subtitled(undefined, { visual: image }),
      `[0:v]${COVER},${LOOP},${SUB},fade=t=in:s=0:n=6,fade=t=out:s=24:n=6[v]`,
    ],
  ])('%s', (_, segment, graph) => {
    expect(graphOf(segment)).toBe(graph);
  });

  it('still renders exactly the scene’s frames at the template rate', () => {
    const { args, graph } = buildSegmentCommand(subtitled([cue(500, 1200)]), '/o/seg.mp4');
    expect(args.slice(args.indexOf('-map'))).toEqual(output());
    expect(graph).toMatch(/,trim=end_frame=30\[v\]$/);
  });

  it('escapes the paths, drawn by one libass instance for all runs', () => {
    const graph = graphOf(subtitled([cue(500, 1200)], { subtitlesPath: '/s/a;b[c].ass', fontsDir: '/f,g' }));
    const escaped = String.raw`ass=filename=\'/s/a\;b\[c\].ass\':fontsdir=\'/f\,g\'`;
    expect(graph.split(escaped)).toHaveLength(2);
    expect(graph.match(/ass=filename=/g)).toHaveLength(2); // the title card's and the subtitles'
  });
});

describe('segment timing', () => {
  it.each([
    [2000, 15, 30, 2000],
    [1010, 30, 30, 1000],
    [1020, 30, 31, 1033.3333333333333],
    [10, 30, 1, 33.333333333333336],
    [4700, 24, 113, 4708.333333333333],
  ])('%d ms at %d fps is %d frames (%d ms)', (ms, fps, frames, aligned) => {
    expect(segmentFrameCount(ms, fps)).toBe(frames);
    expect(segmentDurationMs(ms, fps)).toBe(aligned);
  });
});

describe(buildTitleCardAss.name, () => {
  it('centres the text in the template font, larger than subtitles, on balanced lines', () => {
    expect(buildTitleCardAss('第三章：新的开始\n{Part} 3', template)).toBe(
      [
        '[Script Info]',
        'ScriptType: v4.00+',
        'PlayResX: 180',
        'PlayResY: 320',
        'WrapStyle: 0',
        'ScaledBorderAndShadow: yes',
        '',
        '[V4+ Styles]',
        'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
        'Style: Title,Noto Sans CJK SC,25,&H00FFFFFF,&H000000FF,&H00101010,&H80101010,0,0,0,0,100,100,0,0,1,2,0,5,11,11,0,1',
        '',
        '[Events]',
        'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
        String.raw`Dialogue: 0,0:00:00.00,1:00:00.00,Title,,0,0,0,,第三章：\N新的开始\N\{Part\} 3`,
        '',
      ].join('\n'),
    );
  });
});
