import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetsRepository } from 'src/modules/assets/assets.repository';
import { ProjectsRepository } from 'src/modules/projects/projects.repository';
import { makeMediaFixtures, MediaFixtures } from 'test/utils/media-fixtures';
import { registerUser, RegisteredUser, startTestApp, TestApp } from 'test/utils/test-app';
import { waitFor } from 'test/utils/wait';

const ADMIN = { email: 'render-admin@example.com', password: 'render-admin-pass' };

function probe(file: string) {
  const json = execFileSync('ffprobe', [
    '-v',
    'error',
    '-show_format',
    '-show_streams',
    '-of',
    'json',
    file,
  ]).toString();
  return JSON.parse(json) as {
    format: { duration: string };
    streams: { codec_type: string; codec_name: string; width?: number; height?: number; pix_fmt?: string }[];
  };
}

/** The top-level MP4 boxes in file order: `moov` before `mdat` means +faststart. */
function topLevelBoxes(file: string): string[] {
  const bytes = readFileSync(file);
  const boxes: string[] = [];
  for (let offset = 0; offset + 8 <= bytes.length;) {
    const size = bytes.readUInt32BE(offset);
    boxes.push(bytes.toString('latin1', offset + 4, offset + 8));
    if (size < 8) {
      break;
    }
    offset += size;
  }
  return boxes;
}

describe('Render (e2e, real ffmpeg, offline providers)', () => {
  let sut: TestApp;
  let user: RegisteredUser;
  let media: MediaFixtures;
  let scratch: string;
  let templateId: string;
  const auth = () => ({ Authorization: `Bearer ${user.accessToken}` });

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'reelsmith-render-'));
    media = makeMediaFixtures(scratch);
    sut = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    user = await registerUser(sut.http);
    const admin = await sut.http.post('/api/v1/auth/login').send(ADMIN).expect(200);
    const template = await sut.http
      .post('/api/v1/templates')
      .set('Authorization', `Bearer ${admin.body.accessToken}`)
      .send({
        name: 'test-small',
        aspectRatio: '9:16',
        width: 180,
        height: 320,
        fps: 15,
        fontFamily: 'Noto Sans CJK SC',
        subtitleStyle: { fontSize: 16, primaryColor: '#FFFFFF', outlineColor: '#000000', position: 'bottom' },
        transition: 'fade',
        transitionMs: 200,
        musicVolume: 0.3,
        kenBurns: true,
      })
      .expect(201);
    templateId = template.body.id;
  }, 60_000);

  afterAll(async () => {
    await sut.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const upload = async (file: string, name: string) =>
    (await sut.http.post('/api/v1/assets').set(auth()).attach('file', file, name).expect(201)).body.id as string;

  const download = async (path: string, name: string) => {
    const res = await sut.http.get(path).set(auth()).responseType('blob').expect(200);
    const file = join(scratch, name);
    writeFileSync(file, res.body as Buffer);
    return { file, contentType: String(res.headers['content-type']) };
  };

  const runTask = async (post: () => Promise<{ body: { id: string } }>) => {
    const { id } = (await post()).body;
    let task: Record<string, unknown> = {};
    await waitFor(
      async () => {
        task = (await sut.http.get(`/api/v1/tasks/${id}`).set(auth()).expect(200)).body;
        return ['completed', 'failed', 'cancelled'].includes(task.status as string);
      },
      120_000,
      'task finished',
    );
    return task;
  };

  it('renders a 3-scene project, then re-renders only the edited scene', async () => {
    const image = await upload(media.png, 'still.png');
    const clip = await upload(media.mp4, 'clip.mp4');
    const music = await upload(media.mp3, 'music.mp3');
    const project = await sut.http
      .post('/api/v1/projects')
      .set(auth())
      .send({
        title: 'Bees',
        templateId,
        musicAssetId: music,
        scenes: [
          { narration: 'Bees dance to talk. The dance points to flowers.', assetId: image },
          { narration: 'A short clip plays here.', assetId: clip },
          { narration: 'A title card closes the video.', visualPrompt: 'The end, with bees' },
        ],
      })
      .expect(201);

    const task = await runTask(() =>
      sut.http.post(`/api/v1/projects/${project.body.id}/render`).set(auth()).send({ quality: 'draft' }).expect(202),
    );
    expect(task).toMatchObject({ type: 'render', status: 'completed', progress: 100, projectId: project.body.id });
    const videoId = task.videoId as string;
    const video = await sut.http.get(`/api/v1/videos/${videoId}`).set(auth()).expect(200);
    expect(video.body).toMatchObject({
      status: 'ready',
      width: 180,
      height: 320,
      fps: 15,
      fileUrl: `/api/v1/videos/${videoId}/file`,
    });

    const { file, contentType } = await download(`/api/v1/videos/${videoId}/file`, 'video.mp4');
    expect(contentType).toBe('video/mp4');
    const info = probe(file);
    const v = info.streams.find((s) => s.codec_type === 'video')!;
    expect(v).toMatchObject({ codec_name: 'h264', width: 180, height: 320, pix_fmt: 'yuv420p' });
    expect(info.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
    expect(Math.abs(Number(info.format.duration) * 1000 - video.body.durationMs)).toBeLessThan(200);
    const boxes = topLevelBoxes(file);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
    const thumb = await download(`/api/v1/videos/${videoId}/thumbnail`, 'thumb.jpg');
    expect(thumb.contentType).toBe('image/jpeg');
    expect(readFileSync(thumb.file).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const vtt = await sut.http.get(`/api/v1/videos/${videoId}/subtitles`).set(auth()).expect(200);
    expect(vtt.headers['content-type']).toContain('text/vtt');
    expect(vtt.text).toMatch(/^WEBVTT/);
    expect(vtt.text).toContain('The dance points to flowers.');

    // The narration is in the mix, normalised: ffmpeg's own EBU R128 reading of the whole file.
    const r128 = spawnSync('ffmpeg', ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128', '-f', 'null', '-']);
    const lufs = Number(/I:\s+(-?[\d.]+) LUFS/.exec(r128.stderr.toString().split('Summary:').pop() ?? '')?.[1]);
    expect(Math.abs(lufs + 14)).toBeLessThan(1.5);

    const rows = sut.running.app.get(ProjectsRepository);
    const before = await rows.findScenes(project.body.id);
    // Renders keep each scene's narration as float WAV joined in-process (no AAC round trip).
    expect(before.map((scene) => scene.voiceTrackKey)).toEqual([
      expect.stringMatching(/\.wav$/),
      expect.stringMatching(/\.wav$/),
      expect.stringMatching(/\.wav$/),
    ]);
    const edited = before[1];
    await sut.http
      .patch(`/api/v1/projects/${project.body.id}/scenes/${edited.id}`)
      .set(auth())
      .send({ narration: 'An edited line for the clip.' })
      .expect(200);
    const again = await runTask(() =>
      sut.http.post(`/api/v1/projects/${project.body.id}/render`).set(auth()).send({ quality: 'draft' }).expect(202),
    );
    expect(again.status).toBe('completed');
    const after = await rows.findScenes(project.body.id);
    expect(after[0].segmentKey).toBe(before[0].segmentKey);
    expect(after[2].segmentKey).toBe(before[2].segmentKey);
    expect(after[1].segmentKey).not.toBe(before[1].segmentKey);
    const projectNow = await sut.http.get(`/api/v1/projects/${project.body.id}`).set(auth()).expect(200);
    expect(projectNow.body.latestVideoId).toBe(again.videoId);

    // The first scene's segment keeps its poster beside it (the re-render reused both); the edited
    // scene's old segment is gone; deleting the project takes every segment object with it.
    const segmentFiles = (sceneId: string) => {
      const folder = join(sut.dataDir, 'storage', 'segments', sceneId);
      return existsSync(folder) ? readdirSync(folder).sort() : [];
    };
    const hash0 = after[0]
      .segmentKey!.split('/')
      .pop()!
      .replace(/\.mp4$/, '');
    expect(segmentFiles(after[0].id)).toEqual([`${hash0}.jpg`, `${hash0}.mp4`]);
    expect(segmentFiles(after[1].id)).toEqual([after[1].segmentKey!.split('/').pop()]);
    await sut.http.delete(`/api/v1/projects/${project.body.id}`).set(auth()).expect(204);
    expect(after.flatMap((scene) => segmentFiles(scene.id))).toEqual([]);
  }, 180_000);

  it('turns a Chinese topic into a video with CJK subtitles in a CJK font', async () => {
    const font = execFileSync('fc-match', ['Noto Sans CJK SC', 'family']).toString();
    expect(font).toMatch(/Noto Sans CJK/);
    const task = await runTask(() =>
      sut.http
        .post('/api/v1/videos')
        .set(auth())
        .send({ topic: '长城的故事', language: 'zh', sceneCount: 2, durationSeconds: 10, templateId, quality: 'draft' })
        .expect(202),
    );
    expect(task).toMatchObject({ type: 'video', status: 'completed', stage: 'upload' });
    const vtt = await sut.http
      .get(`/api/v1/videos/${task.videoId as string}/subtitles`)
      .set(auth())
      .expect(200);
    expect(vtt.text).toMatch(/[\u4e00-\u9fff]/);
    const project = await sut.http
      .get(`/api/v1/projects/${task.projectId as string}`)
      .set(auth())
      .expect(200);
    expect(project.body.scenes).toHaveLength(2);
  }, 180_000);

  it("writes a project's scenes with POST /projects/:id/script", async () => {
    const project = await sut.http
      .post('/api/v1/projects')
      .set(auth())
      .send({ title: 'Octopus facts', templateId })
      .expect(201);
    const res = await sut.http
      .post(`/api/v1/projects/${project.body.id}/script?wait=20`)
      .set(auth())
      .send({ sceneCount: 3, durationSeconds: 15 })
      .expect(200);
    expect(res.body).toMatchObject({ type: 'script', status: 'completed', projectId: project.body.id });
    const after = await sut.http.get(`/api/v1/projects/${project.body.id}`).set(auth()).expect(200);
    expect(after.body.scenes.map((s: { index: number }) => s.index)).toEqual([0, 1, 2]);
    expect(after.body.scenes[0].narration).toBe(res.body.result.script.scenes[0].narration);
  });

  it("refuses POST /videos with someone else's asset (404 naming the field) and bad values (400)", async () => {
    const stranger = await registerUser(sut.http);
    const theirs = (
      await sut.http
        .post('/api/v1/assets')
        .set('Authorization', `Bearer ${stranger.accessToken}`)
        .attach('file', media.png, 'x.png')
        .expect(201)
    ).body.id;
    const notMine = await sut.http
      .post('/api/v1/videos')
      .set(auth())
      .send({ topic: 'x', assetIds: [theirs] })
      .expect(404);
    expect(notMine.body.details).toEqual([{ field: 'assetIds.0', message: 'not found' }]);
    const bad = await sut.http
      .post('/api/v1/videos')
      .set(auth())
      .send({ topic: '', quality: 'ultra', sceneCount: 0 })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['quality', 'sceneCount', 'topic']);
    await sut.http.post(`/api/v1/projects/${theirs}/render`).set(auth()).send({}).expect(404);
  });

  it('fails a render whose image turned out corrupt with a clear code, stopping the other steps and keeping nothing partial', async () => {
    const imageId = await upload(media.jpeg, 'photo.jpg');
    // The upload passed its checks; the stored bytes then go bad (a disk or bucket fault): still a
    // JPEG by its magic bytes, but nothing decodable follows.
    const asset = await sut.running.app.get(AssetsRepository).findById(imageId);
    writeFileSync(
      join(sut.dataDir, 'storage', asset!.storageKey),
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 7)]),
    );
    // The renderer's scratch folders (withTempDir('render')); the integration suite's are named apart.
    const tempDirs = () =>
      readdirSync(tmpdir())
        .filter((name) => name.startsWith('reelsmith-render-') && !name.startsWith('reelsmith-render-spec-'))
        .sort();
    const tempBefore = tempDirs();
    const project = await sut.http
      .post('/api/v1/projects')
      .set(auth())
      .send({
        title: 'Broken picture',
        templateId,
        scenes: [
          { narration: 'This scene is a title card.', visualPrompt: 'A calm sea' },
          { narration: 'This scene shows a picture that no longer decodes.', assetId: imageId },
          { narration: 'And this one is a title card again.', visualPrompt: 'A quiet harbour' },
        ],
      })
      .expect(201);

    const task = await runTask(() =>
      sut.http.post(`/api/v1/projects/${project.body.id}/render`).set(auth()).send({ quality: 'draft' }).expect(202),
    );

    expect(task).toMatchObject({ status: 'failed', error: { code: 'MEDIA_PROCESSING_FAILED' } });
    expect(JSON.stringify(task.error)).not.toMatch(/\/|ffmpeg|stderr/i);
    const video = await sut.http
      .get(`/api/v1/videos/${task.videoId as string}`)
      .set(auth())
      .expect(200);
    expect(video.body.status).toBe('failed');
    expect(existsSync(join(sut.dataDir, 'storage', 'videos', user.id, task.videoId as string))).toBe(false);
    // The broken scene has no segment; the other steps were stopped and their scratch removed.
    const scenes = await sut.running.app.get(ProjectsRepository).findWithScenes(project.body.id);
    expect(scenes!.scenes[1].segmentKey).toBeNull();
    expect(tempDirs()).toEqual(tempBefore);
    expect(() => execFileSync('pgrep', ['-P', String(process.pid), '-x', 'ffmpeg'])).toThrow();
  }, 120_000);

  it('cancels a render: no ffmpeg left running and nothing partial in storage', async () => {
    const project = await sut.http
      .post('/api/v1/projects')
      .set(auth())
      .send({
        title: 'Long one',
        templateId,
        scenes: Array.from({ length: 6 }, (_, i) => ({
          narration: `Scene ${i + 1} has a rather long narration so that it takes a while to render. `.repeat(4),
        })),
      })
      .expect(201);
    const created = await sut.http
      .post(`/api/v1/projects/${project.body.id}/render`)
      .set(auth())
      .send({ quality: 'high' })
      .expect(202);
    await waitFor(
      async () => (await sut.http.get(`/api/v1/tasks/${created.body.id}`).set(auth())).body.stage === 'compose',
      60_000,
      'compose stage',
    );
    const ffmpegRunning = () => {
      try {
        return (
          execFileSync('pgrep', ['-P', String(process.pid), '-x', 'ffmpeg'])
            .toString()
            .trim() !== ''
        );
      } catch {
        return false;
      }
    };
    await waitFor(ffmpegRunning, 20_000, 'an ffmpeg encode under way');
    await sut.http.post(`/api/v1/tasks/${created.body.id}/cancel`).set(auth()).expect(200);
    // ffmpeg runs as a child of this process (the app is in-process); other suites' don't count.
    await waitFor(() => !ffmpegRunning(), 3000, 'no ffmpeg process');
    const videoDir = join(sut.dataDir, 'storage', 'videos', user.id, created.body.videoId);
    await waitFor(
      async () => (await sut.http.get(`/api/v1/videos/${created.body.videoId}`).set(auth())).body.status === 'failed',
      5000,
      'video failed',
    );
    expect(existsSync(videoDir)).toBe(false);
  }, 120_000);
});
