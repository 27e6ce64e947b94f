import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from 'src/config/app.config';
import { FfmpegError, MediaProbeError, MediaRepository } from 'src/media/media.repository';
import { isAlive } from 'test/utils/wait';
import { makeMediaFixtures, MediaFixtures } from 'test/utils/media-fixtures';

describe(MediaRepository.name, () => {
  let dir: string;
  let media: MediaFixtures;
  const sut = new MediaRepository(loadAppConfig({}));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'reelsmith-media-'));
    media = makeMediaFixtures(dir);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('probes real files made by ffmpeg', async () => {
    expect(await sut.probe(media.png)).toMatchObject({ formatName: 'png_pipe', video: { width: 64, height: 48 } });
    const clip = await sut.probe(media.mp4);
    expect(clip.video).toMatchObject({ codec: 'h264', width: 160, height: 120, fps: 25 });
    expect(clip.audio?.codec).toBe('aac');
    expect(clip.durationMs).toBeGreaterThanOrEqual(1100);
    const tone = await sut.probe(media.wav);
    expect(tone.durationMs).toBe(500);
  });

  it('refuses a file ffprobe cannot read, and a playlist pointing elsewhere', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'just some text, not an image');
    await expect(sut.probe(text)).rejects.toBeInstanceOf(MediaProbeError);
    // ffprobe trusts a .png name for a text file (0×0 "image"): the asset inspector checks magic bytes first.
    const disguised = join(dir, 'notes.png');
    writeFileSync(disguised, 'just some text, not an image');
    expect((await sut.probe(disguised)).video?.width).toBe(0);
    const playlist = join(dir, 'list.m3u8');
    writeFileSync(playlist, `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nhttp://127.0.0.1:9/x.ts\n#EXT-X-ENDLIST\n`);
    await expect(sut.probe(playlist)).rejects.toBeInstanceOf(MediaProbeError);
  });

  it('probes a file streamed to an ffprobe started before it was written', async () => {
    let written!: (path: string) => void;
    const probed = sut.probeWhenWritten(new Promise<string>((resolve) => (written = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    written(media.mp4);
    const [early, plain] = await Promise.all([probed, sut.probe(media.mp4)]);
    expect(early).toEqual(plain);
  });

  it('ends the waiting ffprobe when the file is never written', async () => {
    const probed = sut.probeWhenWritten(Promise.reject(new Error('the join failed')));
    await expect(probed).rejects.toBeInstanceOf(MediaProbeError);
  });

  describe('an ffmpeg started before its graph is known', () => {
    const args = (output: string) => [
      ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-filter_complex_script', 'pipe:0'],
      ...['-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', '-f', 'mp4', `file:${output}`],
    ];

    it('runs the graph it is given, reporting progress', async () => {
      const output = join(dir, 'late-graph.mp4');
      const started = sut.startFfmpeg(args(output));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const progress: number[] = [];
      await started.run('color=c=red:s=64x48:r=10,trim=end_frame=20[v]', {
        durationMs: 2000,
        onProgress: (f) => progress.push(f),
      });
      expect((await sut.probe(output)).video).toMatchObject({ width: 64, height: 48, frames: 20 });
      expect(progress.at(-1)).toBe(1);
    });

    it('fails as ffmpeg does on a graph it cannot parse', async () => {
      const started = sut.startFfmpeg(args(join(dir, 'bad-graph.mp4')));
      await expect(started.run('nosuchfilter[v]')).rejects.toBeInstanceOf(FfmpegError);
    });

    it('stops unused, leaving no process and no file', async () => {
      const output = join(dir, 'unused.mp4');
      const started = sut.startFfmpeg(args(output));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const pid = Number(execFileSync('pgrep', ['-n', '-f', `file:${output}`]).toString());
      expect(isAlive(pid)).toBe(true);
      await started.stop();
      expect(isAlive(pid)).toBe(false);
      expect(existsSync(output)).toBe(false);
    });
  });
});
