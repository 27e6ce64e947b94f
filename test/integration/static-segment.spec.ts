import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from 'src/config/app.config';
import { MediaRepository } from 'src/media/media.repository';
import type { RenderTemplate, SceneVisual, SegmentSpec, SubtitleCue } from 'src/media/render/render.types';
import {
  buildSegmentCommand,
  buildTitleCardAss,
  GraphOnStdinCommand,
  stillIntervals,
} from 'src/media/render/segment-command.builder';
import { buildAss } from 'src/media/subtitles/ass.builder';
import { smallTemplate } from 'test/utils/render-template';

const config = loadAppConfig({});
const run = (command: string, args: string[]) => execFileSync(command, args, { maxBuffer: 64 << 20 }).toString();

/** One MD5 per frame, in order. */
const frameMd5s = (ffmpegArgs: string[]): string[] =>
  run(config.media.ffmpegPath, ['-v', 'error', ...ffmpegArgs, '-f', 'framemd5', '-'])
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(',').pop()!.trim());

/** The segment's filter output itself, before x264: the builder's inputs and graph, its frames counted. */
const filteredMd5s = ({ args, graph }: GraphOnStdinCommand) =>
  frameMd5s([
    ...args.slice(args.indexOf('-nostdin') + 1, args.indexOf('-filter_complex_script')),
    '-filter_complex',
    graph,
    '-map',
    '[v]',
  ]);

/** Frames (decoded, counted one by one), rate, size and pixel format of an encoded segment. */
const probeStream = (path: string) =>
  run(config.media.ffprobePath, [
    ...['-v', 'error', '-count_frames', '-select_streams', 'v:0'],
    ...['-show_entries', 'stream=nb_read_frames,r_frame_rate,width,height,pix_fmt', '-of', 'json'],
    path,
  ]);

const template: RenderTemplate = smallTemplate();

// 8 s at 15 fps: 120 frames, fading in over [0, 6) and out over [114, 120) (the halves of the dip).
const cues: SubtitleCue[] = [
  // Starts inside the fade-in.
  { startMs: 200, endMs: 3000, text: '清晨的老城很安静' },
  // Too long for two lines: buildAss shows it as several events.
  { startMs: 3000, endMs: 7400, text: 'A quiet morning in the old town, before the market opens and the streets fill' },
  // At frame 111 ffmpeg asks libass for 7399 ms: this cue shows from frame 112.
  { startMs: 7400, endMs: 7900, text: 'Then the bells.' },
];

describe('still segments drawn once per run (real ffmpeg)', () => {
  const sut = new MediaRepository(config);
  let dir: string;
  let card: SceneVisual;
  let photo: SceneVisual;
  let subtitlesPath: string;
  let emptySubtitlesPath: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'reelsmith-static-'));
    // Every path reaches the graph once per run: keep the escaping honest.
    const odd = join(dir, "it's: a,b [x]; z");
    mkdirSync(odd);
    const photoPath = join(odd, 'photo.jpg');
    run(config.media.ffmpegPath, [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=640x480',
      '-frames:v',
      '1',
      photoPath,
    ]);
    const titleAssPath = join(odd, 'title.ass');
    writeFileSync(titleAssPath, buildTitleCardAss('第三章：新的开始', template));
    subtitlesPath = join(odd, 'subtitles.ass');
    writeFileSync(subtitlesPath, buildAss(cues, template, { playResX: 180, playResY: 320 }));
    emptySubtitlesPath = join(odd, 'empty.ass');
    writeFileSync(emptySubtitlesPath, buildAss([], template, { playResX: 180, playResY: 320 }));
    card = { kind: 'title-card', text: '第三章：新的开始', background: '#336699', titleAssPath };
    photo = { kind: 'image', path: photoPath, width: 640, height: 480 };
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const scene = (visual: SceneVisual, over: Partial<SegmentSpec> = {}): SegmentSpec => ({
    index: 1,
    durationMs: 8000,
    visual,
    subtitlesPath,
    subtitleCues: cues,
    template,
    quality: 'draft',
    ...over,
  });

  /** Encodes both and compares them frame by frame, before and after x264. */
  const compare = async (name: string, perRun: SegmentSpec, perFrame: SegmentSpec) => {
    const byRuns = buildSegmentCommand(perRun, join(dir, `${name}-runs.mp4`));
    const byFrames = buildSegmentCommand(perFrame, join(dir, `${name}-frames.mp4`));
    expect(byRuns.graph).toContain('concat=');
    expect(byFrames.graph).not.toContain('concat=');

    const filtered = filteredMd5s(byRuns);
    expect(filtered).toHaveLength(120);
    expect(filtered).toEqual(filteredMd5s(byFrames));

    for (const { args, graph } of [byRuns, byFrames]) {
      await sut.startFfmpeg(args).run(graph, { durationMs: 8000 });
    }
    const [runs, frames] = [byRuns, byFrames].map(({ args }) => args[args.length - 1].slice('file:'.length));
    expect(JSON.parse(probeStream(runs))).toEqual({
      programs: [],
      streams: [{ width: 180, height: 320, pix_fmt: 'yuv420p', r_frame_rate: '15/1', nb_read_frames: '120' }],
    });
    expect(probeStream(runs)).toBe(probeStream(frames));
    expect(frameMd5s(['-i', runs])).toEqual(frameMd5s(['-i', frames]));
    return filtered;
  };

  /** Frames outside the fades whose picture differs from the frame before. */
  const changes = (md5s: string[]) => md5s.map((md5, i) => (i > 6 && i < 114 && md5 !== md5s[i - 1] ? i : -1));

  it.each([
    ['a title card', () => card],
    ['an image without a pan', () => photo],
  ])('%s with subtitles and both fades matches the per-frame graph', async (name, visual) => {
    const perRun = scene(visual());
    const filtered = await compare(name.replace(/ /g, '-'), perRun, { ...perRun, subtitleCues: undefined });

    // The subtitles really change, and exactly where the runs begin (the model agrees with libass).
    const starts = stillIntervals(perRun)!
      .filter((interval) => !interval.fade && interval.start > 6)
      .map((interval) => interval.start);
    expect(starts).toContain(112);
    expect(starts.length).toBeGreaterThanOrEqual(4);
    expect(changes(filtered).filter((i) => i >= 0)).toEqual(starts);
  });

  it('fades without subtitles match the per-frame graph', async () => {
    // The per-frame graph with an .ass file holding no events draws the same picture.
    await compare(
      'fades-only',
      scene(photo, { subtitlesPath: undefined, subtitleCues: undefined }),
      scene(photo, { subtitlesPath: emptySubtitlesPath, subtitleCues: undefined }),
    );
  });
});
