import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from 'src/config/app.config';
import { MediaProbeError, MediaRepository } from 'src/media/media.repository';
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
});
