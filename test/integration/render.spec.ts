import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  closeSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from 'src/config/app.config';
import { MediaRepository } from 'src/media/media.repository';
import {
  buildAudioMasterArgs,
  buildAudioMixArgs,
  buildConcatList,
  buildMuxArgs,
  buildThumbnailArgs,
} from 'src/media/render/assembly-command.builder';
import type { AudioMixSpec, RenderQuality } from 'src/media/render/render.types';
import type { RenderTemplate, SegmentSpec } from 'src/media/render/render.types';
import { buildSegmentCommand, buildTitleCardAss } from 'src/media/render/segment-command.builder';
import { buildAss, wrapOptionsFor } from 'src/media/subtitles/ass.builder';
import { splitCues } from 'src/media/subtitles/subtitle-wrap';
import { makeMediaFixtures } from 'test/utils/media-fixtures';
import { smallTemplate } from 'test/utils/render-template';

const config = loadAppConfig({});
const ffmpeg = (args: string[]) => execFileSync(config.media.ffmpegPath, ['-v', 'error', '-y', ...args]);

/** Mean luma (0–255) of one frame of a video. */
const meanLuma = (path: string, frame: number): number => {
  const gray = ffmpeg([
    '-i',
    path,
    '-vf',
    `select=eq(n\\,${frame}),scale=1:1:flags=area`,
    '-frames:v',
    '1',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    '-',
  ]);
  return gray[0];
};

/** Top-level MP4 boxes in file order. */
const topLevelBoxes = (path: string): string[] => {
  const fd = openSync(path, 'r');
  const boxes: string[] = [];
  try {
    const header = Buffer.alloc(16);
    for (let offset = 0; readSync(fd, header, 0, 16, offset) >= 8;) {
      const size32 = header.readUInt32BE(0);
      boxes.push(header.toString('latin1', 4, 8));
      const size = size32 === 1 ? Number(header.readBigUInt64BE(8)) : size32;
      if (size < 8) {
        break;
      }
      offset += size;
    }
  } finally {
    closeSync(fd);
  }
  return boxes;
};

// A 6-frame dip: scene 1 fades out over its last 3 frames; the slide-in takes 6.
const template: RenderTemplate = smallTemplate({ transitionMs: 400, kenBurns: true });

describe('render segments and assembly (real ffmpeg)', () => {
  const sut = new MediaRepository(config);
  let dir: string;
  // Every character the filter and ffconcat escaping must survive.
  let odd: string;
  let segments: { spec: SegmentSpec; path: string }[];
  let video: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'reelsmith-render-spec-'));
    odd = join(dir, "it's: a,b [x] \\y; z=%d");
    mkdirSync(odd);
    const media = makeMediaFixtures(dir);
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=640x480', '-frames:v', '1', join(dir, 'photo.jpg')]);
    ffmpeg(['-f', 'lavfi', '-i', 'sine=f=220:d=1.5', '-ac', '1', '-ar', '48000', join(dir, 'n0.wav')]);
    ffmpeg(['-f', 'lavfi', '-i', 'sine=f=330:d=1.2', '-ac', '1', '-ar', '48000', join(dir, 'n1.wav')]);
    ffmpeg(['-f', 'lavfi', '-i', 'sine=f=440:d=1.0', '-ac', '1', '-ar', '48000', join(dir, 'n2.wav')]);
    ffmpeg(['-f', 'lavfi', '-i', 'sine=f=110:d=2', '-ac', '2', '-ar', '44100', join(dir, 'music.wav')]);

    const subtitles = (name: string, text: string, durationMs: number) => {
      const cues = splitCues({ startMs: 100, endMs: durationMs - 100, text }, wrapOptionsFor(template, 20));
      const path = join(odd, name);
      writeFileSync(path, buildAss(cues, template, { playResX: 180, playResY: 320 }));
      return path;
    };
    const titleAssPath = join(odd, 'title.ass');
    writeFileSync(titleAssPath, buildTitleCardAss('第三章：新的开始', template));
    const specs: SegmentSpec[] = [
      {
        index: 0,
        durationMs: 2000,
        visual: { kind: 'image', path: join(dir, 'photo.jpg'), width: 640, height: 480 },
        subtitlesPath: subtitles('s0.ass', 'A quiet morning in the old town.', 2000),
        template,
        quality: 'draft',
        // The video's poster, written by the same encode (the odd folder: its path is escaped too).
        thumbnail: { path: join(odd, 'poster.jpg'), atMs: 1000 },
      },
      {
        index: 1,
        durationMs: 1600,
        visual: { kind: 'video', path: media.mp4, width: 160, height: 120, durationMs: 1200 },
        subtitlesPath: subtitles('s1.ass', '清晨的老城很安静，街上几乎没有人。', 1600),
        template: { ...template, transition: 'slide' },
        quality: 'draft',
      },
      {
        index: 2,
        durationMs: 1400,
        visual: { kind: 'title-card', text: '第三章：新的开始', background: '#336699', titleAssPath },
        template,
        quality: 'draft',
      },
    ];
    segments = specs.map((spec) => ({ spec, path: join(odd, `seg-${spec.index}.mp4`) }));
    video = join(dir, 'video.mp4');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders image, looped video and title-card segments of exact frame counts', async () => {
    for (const { spec, path } of segments) {
      // As the renderer runs them: the graph on stdin.
      const { args, graph } = buildSegmentCommand(spec, path);
      await sut.startFfmpeg(args).run(graph, { durationMs: spec.durationMs });
    }
    const infos = await Promise.all(segments.map(({ path }) => sut.probe(path)));
    expect(infos.map((info) => info.video)).toEqual([
      { codec: 'h264', width: 180, height: 320, fps: 15, frames: 30 },
      { codec: 'h264', width: 180, height: 320, fps: 15, frames: 24 },
      { codec: 'h264', width: 180, height: 320, fps: 15, frames: 21 },
    ]);
    expect(infos.map((info) => [info.durationMs, info.audio])).toEqual([
      [2000, undefined],
      [1600, undefined],
      [1400, undefined],
    ]);
  });

  /**
   * As the renderer does it: the audio mixed on its own (measured, then normalised and encoded),
   * then both streams copied into the MP4.
   */
  const assemble = async (
    concatListPath: string,
    spec: Omit<AudioMixSpec, 'output' | 'loudnessLog'> & { quality: RenderQuality; output: string },
  ) => {
    const { quality, output, ...mix } = spec;
    const pcm = `${output}.wav`;
    const loudnessLog = `${output}.loudness.log`;
    const audioPath = `${output}.m4a`;
    await sut.ffmpeg(buildAudioMixArgs({ ...mix, output: pcm, loudnessLog }), { durationMs: spec.durationMs });
    const measuredLufs = await sut.loggedLoudness(loudnessLog);
    expect(measuredLufs).toBeGreaterThan(-70);
    const withMusic = mix.musicPath !== undefined;
    await sut.ffmpeg(buildAudioMasterArgs({ input: pcm, measuredLufs, quality, withMusic, output: audioPath }));
    await sut.ffmpeg(buildMuxArgs({ concatListPath, audioPath, durationMs: spec.durationMs, output }));
  };

  it('joins the segments by stream copy under one mixed, ducked, normalised audio track', async () => {
    const list = join(odd, 'list.ffconcat');
    writeFileSync(list, buildConcatList(segments.map(({ path }) => path)));
    await assemble(list, {
      narration: [
        { path: join(dir, 'n0.wav'), startMs: 0, durationMs: 1500 },
        { path: join(dir, 'n1.wav'), startMs: 2000, durationMs: 1200 },
        { path: join(dir, 'n2.wav'), startMs: 3600, durationMs: 1000 },
      ],
      musicPath: join(dir, 'music.wav'),
      musicVolume: 0.3,
      durationMs: 5000,
      quality: 'draft',
      output: video,
    });

    const info = await sut.probe(video);
    expect(info.video).toEqual({ codec: 'h264', width: 180, height: 320, fps: 15, frames: 75 });
    expect(info.audio).toEqual({ codec: 'aac', channels: 2, sampleRate: 48000 });
    expect(Math.abs(info.durationMs - 5000)).toBeLessThanOrEqual(100);
    const pixFmt = execFileSync(config.media.ffprobePath, [
      '-v',
      'error',
      '-select_streams',
      'v',
      '-show_entries',
      'stream=pix_fmt',
      '-of',
      'csv=p=0',
      video,
    ]);
    expect(pixFmt.toString().trim()).toBe('yuv420p');
    const boxes = topLevelBoxes(video);
    expect(boxes[0]).toBe('ftyp');
    expect(boxes.indexOf('moov')).toBeGreaterThan(-1);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));

    const loudness = spawnSync(config.media.ffmpegPath, [
      '-hide_banner',
      '-i',
      video,
      '-af',
      'ebur128',
      '-f',
      'null',
      '-',
    ]);
    const integrated = /I:\s+(-?[\d.]+) LUFS\s+Threshold/.exec(loudness.stderr.toString().split('Summary:')[1] ?? '');
    // One measured gain: the master lands on -14 LUFS (AAC and the limiter move it a little).
    expect(Number(integrated?.[1])).toBeGreaterThan(-15);
    expect(Number(integrated?.[1])).toBeLessThan(-13);
  });

  it('mixes AAC narration without music (the narration tracks are AAC in MP4)', async () => {
    const narration = join(dir, 'narration.m4a');
    ffmpeg(['-f', 'lavfi', '-i', 'sine=f=300:d=1.5', '-ac', '1', '-ar', '48000', '-c:a', 'aac', narration]);
    const output = join(dir, 'voice-only.mp4');
    await assemble(join(odd, 'list.ffconcat'), {
      narration: [
        { path: narration, startMs: 0, durationMs: 1500 },
        { path: narration, startMs: 2000, durationMs: 1500 },
      ],
      musicVolume: 0,
      durationMs: 5000,
      quality: 'standard',
      output,
    });
    const info = await sut.probe(output);
    expect(info.audio).toEqual({ codec: 'aac', channels: 2, sampleRate: 48000 });
    expect(info.video?.frames).toBe(75);
  });

  it('puts the transitions into the segments’ own ends', () => {
    // Scene 1 opens on its picture; it fades out into scene 2, which slides in from black.
    expect(meanLuma(video, 0)).toBeGreaterThan(60);
    expect(meanLuma(video, 29)).toBeLessThan(meanLuma(video, 20) / 2);
    expect(meanLuma(video, 30)).toBeLessThan(20);
    expect(meanLuma(video, 40)).toBeGreaterThan(60);
  });

  it('writes the poster frame while encoding the first segment', () => {
    const poster = segments[0].spec.thumbnail!.path;
    expect(readFileSync(poster).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const size = execFileSync(config.media.ffprobePath, [
      ...['-v', 'error', '-f', 'image2pipe', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0'],
      poster,
    ]);
    expect(size.toString().trim()).toBe('mjpeg,180,320');
    // The picture is the segment's frame at 1 s (frame 15 at 15 fps), before H.264 coding. (Copied
    // out of the odd folder, whose `%d` ffmpeg's image2 demuxer would read as a sequence pattern.)
    const plain = join(dir, 'poster.jpg');
    copyFileSync(poster, plain);
    expect(Math.abs(meanLuma(plain, 0) - meanLuma(segments[0].path, 15))).toBeLessThanOrEqual(6);
  });

  it('grabs a JPEG thumbnail', async () => {
    const thumb = join(odd, 'thumb.jpg');
    await sut.ffmpeg(buildThumbnailArgs(video, 1000, thumb));
    expect(readFileSync(thumb).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    // image2pipe: MediaRepository.probe would read the `%d` in this folder's name as a sequence pattern.
    const size = execFileSync(config.media.ffprobePath, [
      ...['-v', 'error', '-f', 'image2pipe', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0'],
      thumb,
    ]);
    expect(size.toString().trim()).toBe('mjpeg,180,320');
  });

  it('draws Chinese with a Noto CJK font picked by fontconfig', () => {
    expect(execFileSync('fc-match', ['Noto Sans CJK SC']).toString()).toMatch(/^NotoSansCJK.*"Noto Sans CJK SC"/);
    const { args, graph } = buildSegmentCommand(segments[2].spec, join(dir, 'title-debug.mp4'));
    args[args.indexOf('-loglevel') + 1] = 'debug';
    const run = spawnSync(config.media.ffmpegPath, args, { input: graph });
    const log = run.stderr.toString();
    expect(run.status).toBe(0);
    expect(log).toMatch(/fontselect: \(Noto Sans CJK SC, 400, 0\) -> \S*NotoSansCJK[^,]*, \d+, NotoSansCJKsc-/);
    expect(log).not.toMatch(/Glyph 0x[0-9A-F]+ not found/i);
  });
});
