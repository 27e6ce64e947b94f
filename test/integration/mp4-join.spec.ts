import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, readSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from 'src/config/app.config';
import { buildConcatList, buildMuxArgs } from 'src/media/render/assembly-command.builder';
import { audioEncoderArgs, videoEncoderArgs } from 'src/media/render/render-presets';
import type { RenderQuality } from 'src/media/render/render.types';
import { UnsupportedMp4Error } from 'src/media/mp4/mp4-boxes';
import { joinMp4 } from 'src/media/mp4/mp4-join';

const { ffmpegPath, ffprobePath } = loadAppConfig({}).media;
const ffmpeg = (args: string[]) => execFileSync(ffmpegPath, ['-v', 'error', '-y', ...args]);

/** Every packet of one stream: timing, size, flags and a hash of its bytes. */
const packets = (path: string, stream: 'v' | 'a') =>
  execFileSync(ffprobePath, [
    ...['-v', 'error', '-select_streams', `${stream}:0`, '-show_data_hash', 'md5'],
    ...['-show_entries', 'packet=pts,dts,duration,size,flags,data_hash', '-of', 'csv', path],
  ])
    .toString()
    .split('\n')
    .filter(Boolean);

/**
 * ffmpeg's concat demuxer repeats the SPS/PPS in-band before each file's first keyframe (its
 * `auto_convert`); joined in-process, the one shared in the index serves (the joiner checks the
 * segments share it). Keyframes are compared by timing and flags, and all frames decoded.
 */
const withoutKeyframeBytes = (lines: string[]) =>
  lines.map((line) => (line.includes(',K') ? line.split(',').slice(0, 4).concat(line.split(',')[5]).join(',') : line));

/** One MD5 per decoded frame. */
const frameHashes = (path: string) =>
  execFileSync(ffmpegPath, ['-v', 'error', '-i', path, '-map', '0:v', '-f', 'framemd5', '-'])
    .toString()
    .split('\n')
    .filter((line) => line && !line.startsWith('#'));

const summary = (path: string) =>
  JSON.parse(
    execFileSync(ffprobePath, [
      ...['-v', 'error', '-of', 'json', '-show_entries'],
      'format=duration:stream=codec_name,time_base,start_time,duration,nb_frames,width,height',
      path,
    ]).toString(),
  );

/** The top-level boxes' types, in file order. */
function topLevel(path: string): string[] {
  const fd = openSync(path, 'r');
  const header = Buffer.alloc(8);
  const types: string[] = [];
  try {
    for (let at = 0; readSync(fd, header, 0, 8, at) === 8; at += header.readUInt32BE(0)) {
      types.push(header.toString('latin1', 4, 8));
    }
  } finally {
    closeSync(fd);
  }
  return types;
}

describe('joining segments in-process (real ffmpeg for the inputs and the reference)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'reelsmith-mp4-join-'));
  });

  afterAll(() => process.env.KEEP_JOIN_DIR || rmSync(dir, { recursive: true, force: true }));

  /** A segment as the renderer encodes them: H.264 only, exactly `frames` at 15 fps. */
  const segment = (name: string, frames: number, quality: RenderQuality, threads?: number) => {
    const path = join(dir, `${name}.mp4`);
    ffmpeg([
      ...['-f', 'lavfi', '-i', `testsrc2=s=180x320:r=15,trim=end_frame=${frames}`],
      ...(threads ? ['-threads', String(threads)] : []),
      ...videoEncoderArgs(quality, 15),
      ...['-an', '-f', 'mp4', path],
    ]);
    return path;
  };

  /** The mixed audio as the renderer writes it: AAC in MP4, index up front. */
  const audio = (name: string, seconds: number) => {
    const path = join(dir, `${name}.m4a`);
    ffmpeg([
      ...['-f', 'lavfi', '-i', `sine=frequency=330:sample_rate=48000:duration=${seconds}`],
      ...['-ac', '2', ...audioEncoderArgs('standard'), '-movflags', '+faststart', '-f', 'mp4', path],
    ]);
    return path;
  };

  const viaFfmpeg = (segmentPaths: string[], audioPath: string, durationMs: number, output: string) => {
    const concatListPath = `${output}.ffconcat`;
    writeFileSync(concatListPath, buildConcatList(segmentPaths));
    execFileSync(ffmpegPath, buildMuxArgs({ concatListPath, audioPath, durationMs, output }));
  };

  it.each<[string, RenderQuality, number]>([
    ['B-frames (standard), audio running past the video: cut', 'standard', 6],
    ['no B-frames (draft), audio ending before the video', 'draft', 4.5],
  ])('writes what ffmpeg writes, packet for packet: %s', async (name, quality, audioSeconds) => {
    const key = quality;
    // Segments of a lone re-encode (x264's default threads) and of lanes (one thread) side by side.
    const segments = [
      segment(`${key}-0`, 30, quality, 1),
      segment(`${key}-1`, 24, quality),
      segment(`${key}-2`, 21, quality, 1),
    ];
    const sound = audio(key, audioSeconds);
    const durationMs = 5000;
    const reference = join(dir, `${key}-ffmpeg.mp4`);
    const ours = join(dir, `${key}-ours.mp4`);
    viaFfmpeg(segments, sound, durationMs, reference);
    await joinMp4({ segmentPaths: segments, audioPath: sound, durationMs, output: ours });

    expect(withoutKeyframeBytes(packets(ours, 'v'))).toEqual(withoutKeyframeBytes(packets(reference, 'v')));
    expect(packets(ours, 'v')).toHaveLength(75);
    expect(frameHashes(ours)).toEqual(frameHashes(reference));
    // The same audio packets; where the audio runs on, ffmpeg keeps all of the last one (up to
    // 21 ms past the video), the edit list here ends the audio with the picture.
    const durationless = (lines: string[]) => lines.map((line) => line.split(',').toSpliced(3, 1).join(','));
    expect(durationless(packets(ours, 'a'))).toEqual(durationless(packets(reference, 'a')));
    const [mine, theirs] = [summary(ours), summary(reference)];
    expect(mine.streams[0]).toEqual(theirs.streams[0]);
    expect(Number(mine.format.duration)).toBe(Math.min(durationMs / 1000, Number(theirs.format.duration)));
    expect(Number(mine.streams[1].duration)).toBeCloseTo(Math.min(audioSeconds, durationMs / 1000), 1);
    expect(topLevel(ours)).toEqual(['ftyp', 'moov', 'mdat']);
    // Decodes cleanly, every frame.
    expect(() => ffmpeg(['-xerror', '-i', ours, '-f', 'null', '-'])).not.toThrow();
    expect(name).toBeTruthy();
  });

  it('refuses what it was not made for, so the caller can use ffmpeg instead', async () => {
    const stereo = audio('refused', 2);
    const withAudio = join(dir, 'muxed.mp4');
    ffmpeg(['-i', segment('muxed-video', 15, 'draft'), '-i', stereo, '-c', 'copy', '-f', 'mp4', withAudio]);
    const output = join(dir, 'refused.mp4');
    // A "segment" with two tracks, and segments encoded differently.
    await expect(joinMp4({ segmentPaths: [withAudio], audioPath: stereo, durationMs: 1000, output })).rejects.toThrow(
      UnsupportedMp4Error,
    );
    const other = join(dir, 'other-size.mp4');
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=15,trim=end_frame=15', ...videoEncoderArgs('draft', 15), other]);
    await expect(
      joinMp4({ segmentPaths: [segment('size-a', 15, 'draft'), other], audioPath: stereo, durationMs: 2000, output }),
    ).rejects.toThrow(UnsupportedMp4Error);
    // Not an MP4 at all.
    const text = join(dir, 'text.mp4');
    writeFileSync(text, 'not a video, just text that goes on for a while');
    await expect(joinMp4({ segmentPaths: [text], audioPath: stereo, durationMs: 1000, output })).rejects.toThrow(
      UnsupportedMp4Error,
    );
  });
});
