import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Response } from 'superagent';
import { DataSource } from 'typeorm';
import { ProjectsRepository } from 'src/modules/projects/projects.repository';
import { ProjectsService } from 'src/modules/projects/projects.service';
import { TasksRepository } from 'src/modules/tasks/tasks.repository';
import { BUILT_IN_TEMPLATE_IDS } from 'src/modules/templates/templates.constants';
import { videoStorageKeys } from 'src/modules/videos/video-storage';
import { VideosService } from 'src/modules/videos/videos.service';
import { StorageDriver, StoredObject } from 'src/storage/storage.driver';
import { makeMediaFixtures, MediaFixtures } from 'test/utils/media-fixtures';
import { errorShape, registerUser, RegisteredUser, startTestApp, TestApp } from 'test/utils/test-app';

type Auth = { Authorization: string };

/** Collects a binary body (supertest only buffers text, JSON and images by itself). */
const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

const fields = (body: { details?: { field: string }[] }) => (body.details ?? []).map((detail) => detail.field);

describe('Projects and videos (e2e)', () => {
  let sut: TestApp;
  let user: RegisteredUser;
  let other: RegisteredUser;
  let media: MediaFixtures;
  let fixtureDir: string;
  let voiceId: string;
  const assets: Record<'image' | 'video' | 'audio' | 'otherImage' | 'otherAudio', string> = {} as never;
  const auth = (who: RegisteredUser): Auth => ({ Authorization: `Bearer ${who.accessToken}` });
  const storage = () => sut.running.app.get(StorageDriver);
  const videosService = () => sut.running.app.get(VideosService);
  const projectsRepository = () => sut.running.app.get(ProjectsRepository);
  const db = () => sut.running.app.get(DataSource);

  const upload = async (who: RegisteredUser, file: string, name: string): Promise<string> =>
    (await sut.http.post('/api/v1/assets').set(auth(who)).attach('file', file, name).expect(201)).body.id;
  const createProject = (body: object, who = user) => sut.http.post('/api/v1/projects').set(auth(who)).send(body);
  const storeObject = (key: string, bytes: Buffer | string): Promise<StoredObject> =>
    storage().put(key, Readable.from([Buffer.from(bytes)]));

  beforeAll(async () => {
    fixtureDir = mkdtempSync(join(tmpdir(), 'reelsmith-project-fixtures-'));
    media = makeMediaFixtures(fixtureDir);
    sut = await startTestApp();
    user = await registerUser(sut.http);
    other = await registerUser(sut.http);
    assets.image = await upload(user, media.png, 'still.png');
    assets.video = await upload(user, media.mp4, 'clip.mp4');
    assets.audio = await upload(user, media.wav, 'music.wav');
    assets.otherImage = await upload(other, media.png, 'theirs.png');
    assets.otherAudio = await upload(other, media.wav, 'theirs.wav');
    const voices = await sut.http.get('/api/v1/voices').set(auth(user)).expect(200);
    voiceId = voices.body[0].id;
  });

  afterAll(async () => {
    await sut.close();
    rmSync(fixtureDir, { recursive: true, force: true });
  });

  describe('POST /projects', () => {
    it('creates a project with the defaults (201) that GET returns as is', async () => {
      const res = await createProject({ title: 'Bees' }).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        title: 'Bees',
        topic: null,
        language: 'en',
        templateId: BUILT_IN_TEMPLATE_IDS['vertical-default'],
        voiceId: null,
        musicAssetId: null,
        subtitles: true,
        scenes: [],
        latestVideoId: null,
        createdAt: expect.any(String),
        updatedAt: res.body.createdAt,
      });
      const read = await sut.http.get(`/api/v1/projects/${res.body.id}`).set(auth(user)).expect(200);
      expect(read.body).toEqual(res.body);
    });

    it('keeps every field and the scenes in order; a template may be named', async () => {
      const res = await createProject({
        title: '蜜蜂怎么说话',
        topic: 'the waggle dance',
        language: 'zh',
        templateId: 'landscape-default',
        voiceId,
        musicAssetId: assets.audio,
        subtitles: false,
        scenes: [
          { narration: 'First, a bee finds flowers.', visualPrompt: 'A bee on a flower', assetId: assets.image },
          { narration: 'Then it dances.', assetId: assets.video.toUpperCase() },
          { narration: 'The others follow.', visualPrompt: null, assetId: null },
        ],
      }).expect(201);
      expect(res.body).toMatchObject({
        title: '蜜蜂怎么说话',
        topic: 'the waggle dance',
        language: 'zh',
        templateId: BUILT_IN_TEMPLATE_IDS['landscape-default'],
        voiceId,
        musicAssetId: assets.audio,
        subtitles: false,
      });
      expect(res.body.scenes).toEqual([
        {
          id: expect.any(String),
          index: 0,
          narration: 'First, a bee finds flowers.',
          visualPrompt: 'A bee on a flower',
          assetId: assets.image,
          durationMs: null,
        },
        {
          id: expect.any(String),
          index: 1,
          narration: 'Then it dances.',
          visualPrompt: null,
          assetId: assets.video,
          durationMs: null,
        },
        {
          id: expect.any(String),
          index: 2,
          narration: 'The others follow.',
          visualPrompt: null,
          assetId: null,
          durationMs: null,
        },
      ]);
      const read = await sut.http.get(`/api/v1/projects/${res.body.id}`).set(auth(user)).expect(200);
      expect(read.body).toEqual(res.body);
    });

    it.each([
      ['no title', {}, ['title']],
      ['a blank title', { title: '   ' }, ['title']],
      ['a title over 200 characters', { title: 'x'.repeat(201) }, ['title']],
      ['a bad language tag', { title: 't', language: 'English!' }, ['language']],
      ['a null language', { title: 't', language: null }, ['language']],
      ['subtitles that are not a boolean', { title: 't', subtitles: 'yes' }, ['subtitles']],
      ['a music asset id that is not a UUID', { title: 't', musicAssetId: 'song' }, ['musicAssetId']],
      ['an unknown field', { title: 't', ownerId: randomUUID() }, ['ownerId']],
      ['scenes that are not a list', { title: 't', scenes: 'one' }, ['scenes']],
      ['an empty narration', { title: 't', scenes: [{ narration: '' }] }, ['scenes.0.narration']],
      ['a narration of spaces', { title: 't', scenes: [{ narration: '  ' }] }, ['scenes.0.narration']],
      [
        'a narration over 5000 characters',
        { title: 't', scenes: [{ narration: 'ok' }, { narration: 'x'.repeat(5001) }] },
        ['scenes.1.narration'],
      ],
      ['an unknown scene field', { title: 't', scenes: [{ narration: 'ok', index: 3 }] }, ['scenes.0.index']],
      [
        'a scene asset id that is not a UUID',
        { title: 't', scenes: [{ narration: 'ok', assetId: 1 }] },
        ['scenes.0.assetId'],
      ],
      [
        'more than 50 scenes',
        { title: 't', scenes: Array.from({ length: 51 }, () => ({ narration: 'ok' })) },
        ['scenes'],
      ],
      ['a voice the provider does not have', { title: 't', voiceId: 'nobody:nothing' }, ['voiceId']],
    ])('refuses %s with 400 naming the field', async (_what, body, expected) => {
      const res = await createProject(body).expect(400);
      expect(res.body).toMatchObject(errorShape('VALIDATION_FAILED', 400));
      expect(fields(res.body)).toEqual(expect.arrayContaining(expected));
    });

    it('accepts exactly 50 scenes', async () => {
      const res = await createProject({
        title: 'Long',
        scenes: Array.from({ length: 50 }, (_, i) => ({ narration: `Scene ${i}.` })),
      }).expect(201);
      expect(res.body.scenes.map((scene: { index: number }) => scene.index)).toEqual([...Array(50).keys()]);
    });

    it('answers 404 naming each template or asset the user cannot see', async () => {
      const res = await createProject({
        title: 't',
        templateId: 'no-such-template',
        musicAssetId: assets.otherAudio,
        scenes: [
          { narration: 'mine', assetId: assets.image },
          { narration: 'theirs', assetId: assets.otherImage },
        ],
      }).expect(404);
      expect(res.body).toMatchObject(errorShape('NOT_FOUND', 404));
      expect(fields(res.body)).toEqual(['templateId', 'musicAssetId', 'scenes.1.assetId']);

      const unknownAsset = await createProject({ title: 't', musicAssetId: randomUUID() }).expect(404);
      expect(unknownAsset.body.details).toEqual([{ field: 'musicAssetId', message: expect.any(String) }]);
      const unknownTemplate = await createProject({ title: 't', templateId: randomUUID() }).expect(404);
      expect(fields(unknownTemplate.body)).toEqual(['templateId']);
    });

    it('answers 400 for an asset of the wrong kind', async () => {
      const res = await createProject({
        title: 't',
        musicAssetId: assets.image,
        scenes: [{ narration: 'a sound is no picture', assetId: assets.audio }],
      }).expect(400);
      expect(res.body).toMatchObject(errorShape('VALIDATION_FAILED', 400));
      expect(fields(res.body)).toEqual(['musicAssetId', 'scenes.0.assetId']);
    });

    it('needs a token', async () => {
      const res = await sut.http.post('/api/v1/projects').send({ title: 't' }).expect(401);
      expect(res.body).toMatchObject(errorShape('UNAUTHORIZED', 401));
    });
  });

  describe('GET /projects', () => {
    it('pages the caller’s projects, newest first', async () => {
      const lister = await registerUser(sut.http);
      const ids: string[] = [];
      for (const title of ['one', 'two', 'three']) {
        ids.push((await createProject({ title, scenes: [{ narration: title }] }, lister).expect(201)).body.id);
      }
      await createProject({ title: 'not theirs' }, other).expect(201);
      const first = await sut.http.get('/api/v1/projects?limit=2').set(auth(lister)).expect(200);
      expect(first.body).toMatchObject({ total: 3, page: 1, limit: 2 });
      expect(first.body.items.map((p: { id: string }) => p.id)).toEqual([ids[2], ids[1]]);
      expect(first.body.items[0].scenes).toEqual([expect.objectContaining({ narration: 'three', index: 0 })]);
      const second = await sut.http.get('/api/v1/projects?page=2&limit=2').set(auth(lister)).expect(200);
      expect(second.body).toMatchObject({ total: 3, page: 2, limit: 2 });
      expect(second.body.items.map((p: { id: string }) => p.id)).toEqual([ids[0]]);
      const defaults = await sut.http.get('/api/v1/projects').set(auth(lister)).expect(200);
      expect(defaults.body).toMatchObject({ total: 3, page: 1, limit: 20 });
    });

    it.each(['limit=0', 'limit=101', 'page=0', 'page=x'])('refuses ?%s with 400', async (query) => {
      const res = await sut.http.get(`/api/v1/projects?${query}`).set(auth(user)).expect(400);
      expect(res.body).toMatchObject(errorShape('VALIDATION_FAILED', 400));
    });
  });

  describe('someone else’s project', () => {
    let theirs: { id: string; scenes: { id: string }[] };

    beforeAll(async () => {
      theirs = (await createProject({ title: 'Theirs', scenes: [{ narration: 'private' }] }, other).expect(201)).body;
    });

    it('answers 404 everywhere, and never shows its data', async () => {
      const base = `/api/v1/projects/${theirs.id}`;
      const attempts = [
        sut.http.get(base).set(auth(user)),
        sut.http.patch(base).set(auth(user)).send({ title: 'mine now' }),
        sut.http.put(`${base}/scenes`).set(auth(user)).send({ scenes: [] }),
        sut.http.patch(`${base}/scenes/${theirs.scenes[0].id}`).set(auth(user)).send({ narration: 'x' }),
        sut.http.delete(base).set(auth(user)),
        sut.http.get(`/api/v1/videos?projectId=${theirs.id}`).set(auth(user)),
      ];
      for (const attempt of attempts) {
        const res = await attempt;
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject(errorShape('NOT_FOUND', 404));
        expect(JSON.stringify(res.body)).not.toContain('private');
      }
      const still = await sut.http.get(base).set(auth(other)).expect(200);
      expect(still.body).toMatchObject({ title: 'Theirs', scenes: [{ narration: 'private' }] });
      const list = await sut.http.get('/api/v1/projects?limit=100').set(auth(user)).expect(200);
      expect(list.body.items.map((p: { id: string }) => p.id)).not.toContain(theirs.id);
    });

    it('answers 404 for ids that are not UUIDs or name nothing', async () => {
      await sut.http.get('/api/v1/projects/not-a-uuid').set(auth(user)).expect(404);
      await sut.http.get(`/api/v1/projects/${randomUUID()}`).set(auth(user)).expect(404);
      await sut.http.delete(`/api/v1/projects/${randomUUID()}`).set(auth(user)).expect(404);
    });
  });

  describe('PATCH /projects/:id', () => {
    it('changes the given fields only and moves updatedAt', async () => {
      const created = (await createProject({ title: 'Before', scenes: [{ narration: 'kept' }] }).expect(201)).body;
      await new Promise((resolve) => setTimeout(resolve, 5));
      const res = await sut.http
        .patch(`/api/v1/projects/${created.id}`)
        .set(auth(user))
        .send({
          title: 'After',
          topic: 'new topic',
          language: 'en-US',
          templateId: BUILT_IN_TEMPLATE_IDS['square-default'],
          voiceId,
          musicAssetId: assets.audio,
          subtitles: false,
        })
        .expect(200);
      expect(res.body).toEqual({
        ...created,
        title: 'After',
        topic: 'new topic',
        language: 'en-US',
        templateId: BUILT_IN_TEMPLATE_IDS['square-default'],
        voiceId,
        musicAssetId: assets.audio,
        subtitles: false,
        updatedAt: expect.any(String),
      });
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));

      const cleared = await sut.http
        .patch(`/api/v1/projects/${created.id}`)
        .set(auth(user))
        .send({ topic: null, voiceId: null, musicAssetId: null, templateId: 'vertical-default' })
        .expect(200);
      expect(cleared.body).toMatchObject({
        title: 'After',
        topic: null,
        voiceId: null,
        musicAssetId: null,
        templateId: BUILT_IN_TEMPLATE_IDS['vertical-default'],
        scenes: created.scenes,
      });
    });

    it('refuses scenes, nulls for required fields and unknown fields with 400', async () => {
      const { id } = (await createProject({ title: 'Strict' }).expect(201)).body;
      for (const [body, field] of [
        [{ scenes: [{ narration: 'no' }] }, 'scenes'],
        [{ title: null }, 'title'],
        [{ subtitles: null }, 'subtitles'],
        [{ templateId: null }, 'templateId'],
        [{ latestVideoId: randomUUID() }, 'latestVideoId'],
      ] as const) {
        const res = await sut.http.patch(`/api/v1/projects/${id}`).set(auth(user)).send(body).expect(400);
        expect(res.body).toMatchObject(errorShape('VALIDATION_FAILED', 400));
        expect(fields(res.body)).toContain(field);
      }
      const read = await sut.http.get(`/api/v1/projects/${id}`).set(auth(user)).expect(200);
      expect(read.body).toMatchObject({ title: 'Strict', scenes: [] });
    });

    it('answers 404 naming a template or asset the user cannot see', async () => {
      const { id } = (await createProject({ title: 'Refs' }).expect(201)).body;
      const res = await sut.http
        .patch(`/api/v1/projects/${id}`)
        .set(auth(user))
        .send({ templateId: 'gone', musicAssetId: assets.otherAudio })
        .expect(404);
      expect(fields(res.body)).toEqual(['templateId', 'musicAssetId']);
      const wrongKind = await sut.http
        .patch(`/api/v1/projects/${id}`)
        .set(auth(user))
        .send({ musicAssetId: assets.video })
        .expect(400);
      expect(fields(wrongKind.body)).toEqual(['musicAssetId']);
    });
  });

  describe('PUT /projects/:id/scenes', () => {
    it('replaces every scene (200 Project)', async () => {
      const created = (
        await createProject({ title: 'Rewrite', scenes: [{ narration: 'old one' }, { narration: 'old two' }] }).expect(
          201,
        )
      ).body;
      const res = await sut.http
        .put(`/api/v1/projects/${created.id}/scenes`)
        .set(auth(user))
        .send({ scenes: [{ narration: 'new one', visualPrompt: 'sky', assetId: assets.video }] })
        .expect(200);
      expect(res.body).toMatchObject({ id: created.id, title: 'Rewrite' });
      expect(res.body.scenes).toEqual([
        {
          id: expect.any(String),
          index: 0,
          narration: 'new one',
          visualPrompt: 'sky',
          assetId: assets.video,
          durationMs: null,
        },
      ]);
      expect(created.scenes.map((scene: { id: string }) => scene.id)).not.toContain(res.body.scenes[0].id);
      const emptied = await sut.http
        .put(`/api/v1/projects/${created.id}/scenes`)
        .set(auth(user))
        .send({ scenes: [] })
        .expect(200);
      expect(emptied.body.scenes).toEqual([]);
    });

    it('validates the scenes and the assets they name, changing nothing on error', async () => {
      const created = (await createProject({ title: 'Guarded', scenes: [{ narration: 'stays' }] }).expect(201)).body;
      const put = (body: object) => sut.http.put(`/api/v1/projects/${created.id}/scenes`).set(auth(user)).send(body);
      expect(fields((await put({}).expect(400)).body)).toContain('scenes');
      expect(fields((await put({ scenes: [{ narration: '' }] }).expect(400)).body)).toContain('scenes.0.narration');
      expect(fields((await put({ scenes: [], title: 'x' }).expect(400)).body)).toContain('title');
      const many = Array.from({ length: 51 }, () => ({ narration: 'x' }));
      expect(fields((await put({ scenes: many }).expect(400)).body)).toContain('scenes');
      const hidden = await put({ scenes: [{ narration: 'a' }, { narration: 'b', assetId: assets.otherImage }] });
      expect(hidden.status).toBe(404);
      expect(fields(hidden.body)).toEqual(['scenes.1.assetId']);
      const audio = await put({ scenes: [{ narration: 'a', assetId: assets.audio }] }).expect(400);
      expect(fields(audio.body)).toEqual(['scenes.0.assetId']);
      const read = await sut.http.get(`/api/v1/projects/${created.id}`).set(auth(user)).expect(200);
      expect(read.body.scenes).toEqual(created.scenes);
    });

    it('deletes the rendered segments of the scenes it removes', async () => {
      const created = (await createProject({ title: 'Segments', scenes: [{ narration: 'cut me' }] }).expect(201)).body;
      const key = `projects/${user.id}/${created.id}/segments/${'a'.repeat(64)}.mp4`;
      await storeObject(key, 'segment bytes');
      expect(
        await projectsRepository().recordSegment(created.scenes[0].id, { hash: 'a'.repeat(64), storageKey: key }),
      ).toBeNull();
      await sut.http.put(`/api/v1/projects/${created.id}/scenes`).set(auth(user)).send({ scenes: [] }).expect(200);
      expect(await storage().exists(key)).toBe(false);
    });
  });

  describe('PATCH /projects/:id/scenes/:sceneId', () => {
    it('edits one scene (200 Scene); a new narration drops its voice, other edits keep it', async () => {
      const created = (
        await createProject({ title: 'Edit', scenes: [{ narration: 'first' }, { narration: 'second' }] }).expect(201)
      ).body;
      const [first, second] = created.scenes;
      const repository = projectsRepository();
      const [scene] = (await repository.findScenes(created.id)).filter((row) => row.id === second.id);
      const voice = {
        voiceKey: 'k'.repeat(64),
        trackKey: 'speech/track.m4a',
        durationMs: 1234,
        sentences: [{ text: 'second', startMs: 0, durationMs: 1234 }],
      };
      expect(await repository.recordSceneVoice(second.id, scene.narrationHash, voice)).toBe(true);
      const voiced = await sut.http.get(`/api/v1/projects/${created.id}`).set(auth(user)).expect(200);
      expect(voiced.body.scenes[1].durationMs).toBe(1234);

      const url = `/api/v1/projects/${created.id}/scenes/${second.id}`;
      const visual = await sut.http
        .patch(url)
        .set(auth(user))
        .send({ visualPrompt: 'a meadow', assetId: assets.image })
        .expect(200);
      expect(visual.body).toEqual({
        id: second.id,
        index: 1,
        narration: 'second',
        visualPrompt: 'a meadow',
        assetId: assets.image,
        durationMs: 1234,
      });
      const same = await sut.http.patch(url).set(auth(user)).send({ narration: 'second' }).expect(200);
      expect(same.body.durationMs).toBe(1234);

      const renarrated = await sut.http.patch(url).set(auth(user)).send({ narration: 'a new second' }).expect(200);
      expect(renarrated.body).toMatchObject({ narration: 'a new second', durationMs: null, assetId: assets.image });
      const [row] = (await repository.findScenes(created.id)).filter((r) => r.id === second.id);
      expect(row).toMatchObject({ voiceKey: null, voiceTrackKey: null, sentences: null, durationMs: null });
      // A voice made from the old narration can no longer be recorded.
      expect(await repository.recordSceneVoice(second.id, scene.narrationHash, voice)).toBe(false);

      const cleared = await sut.http.patch(url).set(auth(user)).send({ visualPrompt: null, assetId: null }).expect(200);
      expect(cleared.body).toMatchObject({ visualPrompt: null, assetId: null });
      const read = await sut.http.get(`/api/v1/projects/${created.id}`).set(auth(user)).expect(200);
      expect(read.body.scenes[0]).toEqual(first);
      expect(read.body.scenes[1]).toEqual(cleared.body);
    });

    it('validates, and answers 404 for unknown scenes and unseen assets', async () => {
      const created = (await createProject({ title: 'Scene errors', scenes: [{ narration: 'x' }] }).expect(201)).body;
      const elsewhere = (await createProject({ title: 'Elsewhere', scenes: [{ narration: 'y' }] }).expect(201)).body;
      const url = `/api/v1/projects/${created.id}/scenes/${created.scenes[0].id}`;
      expect(fields((await sut.http.patch(url).set(auth(user)).send({ narration: '' }).expect(400)).body)).toContain(
        'narration',
      );
      expect(fields((await sut.http.patch(url).set(auth(user)).send({ narration: null }).expect(400)).body)).toContain(
        'narration',
      );
      expect(fields((await sut.http.patch(url).set(auth(user)).send({ index: 4 }).expect(400)).body)).toEqual([
        'index',
      ]);
      const hidden = await sut.http.patch(url).set(auth(user)).send({ assetId: assets.otherImage }).expect(404);
      expect(hidden.body.details).toEqual([{ field: 'assetId', message: expect.any(String) }]);
      const audio = await sut.http.patch(url).set(auth(user)).send({ assetId: assets.audio }).expect(400);
      expect(fields(audio.body)).toEqual(['assetId']);
      for (const sceneId of [randomUUID(), elsewhere.scenes[0].id, 'nope']) {
        const res = await sut.http
          .patch(`/api/v1/projects/${created.id}/scenes/${sceneId}`)
          .set(auth(user))
          .send({ narration: 'z' })
          .expect(404);
        expect(res.body).toMatchObject(errorShape('NOT_FOUND', 404));
      }
    });
  });

  describe('assets in use', () => {
    it('cannot be deleted while a project uses them (409), and can once it does not', async () => {
      const music = await upload(user, media.wav, 'in-use.wav');
      const picture = await upload(user, media.png, 'in-use.png');
      const project = (
        await createProject({
          title: 'Uses assets',
          musicAssetId: music,
          scenes: [{ narration: 'x', assetId: picture }],
        }).expect(201)
      ).body;
      for (const id of [music, picture]) {
        const res = await sut.http.delete(`/api/v1/assets/${id}`).set(auth(user)).expect(409);
        expect(res.body).toMatchObject(errorShape('CONFLICT', 409));
        await sut.http.get(`/api/v1/assets/${id}`).set(auth(user)).expect(200);
      }
      await sut.http.patch(`/api/v1/projects/${project.id}`).set(auth(user)).send({ musicAssetId: null }).expect(200);
      await sut.http.delete(`/api/v1/assets/${music}`).set(auth(user)).expect(204);
      await sut.http.delete(`/api/v1/projects/${project.id}`).set(auth(user)).expect(204);
      await sut.http.delete(`/api/v1/assets/${picture}`).set(auth(user)).expect(204);
    });
  });

  describe('videos', () => {
    let project: { id: string };

    beforeAll(async () => {
      project = (await createProject({ title: 'Rendered', templateId: 'landscape-default' }).expect(201)).body;
    });

    const loadProject = async (id: string) => (await projectsRepository().findById(id))!;

    /** A video marked ready by hand, as the renderer will: its files stored, then markReady. */
    async function readyVideo(projectId: string, withSubtitles = true) {
      const pending = await videosService().createPending(await loadProject(projectId), 'draft');
      const keys = videoStorageKeys(user.id, pending.id);
      const file = await storeObject(keys.file, Buffer.from('0123456789abcdef'));
      const thumbnail = await storeObject(keys.thumbnail, Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
      const subtitles = withSubtitles
        ? await storeObject(keys.subtitles, 'WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n')
        : null;
      const ready = await videosService().markReady(pending.id, { file, thumbnail, subtitles, durationMs: 1500 });
      expect(ready).toMatchObject({ status: 'ready' });
      return { video: ready!, keys };
    }

    it('a pending video: its row from the template, no URLs, its files 404', async () => {
      const task = await sut.running.app.get(TasksRepository).create({
        id: randomUUID(),
        ownerId: user.id,
        type: 'render',
        input: {},
        maxAttempts: 1,
        idempotencyKey: null,
        callbackUrl: null,
        projectId: project.id,
        videoId: null,
      });
      const pending = await videosService().createPending(await loadProject(project.id), 'standard', task!.id);
      const res = await sut.http.get(`/api/v1/videos/${pending.id}`).set(auth(user)).expect(200);
      expect(res.body).toEqual({
        id: pending.id,
        projectId: project.id,
        status: 'pending',
        quality: 'standard',
        taskId: task!.id,
        width: 1920,
        height: 1080,
        fps: 30,
        durationMs: null,
        sizeBytes: null,
        createdAt: expect.any(String),
        fileUrl: null,
        thumbnailUrl: null,
        subtitlesUrl: null,
      });
      for (const file of ['file', 'thumbnail', 'subtitles']) {
        const missing = await sut.http.get(`/api/v1/videos/${pending.id}/${file}`).set(auth(user)).expect(404);
        expect(missing.body).toMatchObject(errorShape('NOT_FOUND', 404));
      }
      expect(await videosService().markFailed(pending.id)).toBe(true);
      expect(await videosService().markFailed(pending.id)).toBe(false);
      const failed = await sut.http.get(`/api/v1/videos/${pending.id}`).set(auth(user)).expect(200);
      expect(failed.body).toMatchObject({ status: 'failed', fileUrl: null });
    });

    it('a ready video: URLs, and its files with Range', async () => {
      const { video } = await readyVideo(project.id);
      const res = await sut.http.get(`/api/v1/videos/${video.id}`).set(auth(user)).expect(200);
      expect(res.body).toMatchObject({
        status: 'ready',
        quality: 'draft',
        durationMs: 1500,
        sizeBytes: 16,
        fileUrl: `/api/v1/videos/${video.id}/file`,
        thumbnailUrl: `/api/v1/videos/${video.id}/thumbnail`,
        subtitlesUrl: `/api/v1/videos/${video.id}/subtitles`,
      });

      const whole = await sut.http.get(res.body.fileUrl).set(auth(user)).buffer(true).parse(binary).expect(200);
      expect(whole.headers['content-type']).toBe('video/mp4');
      expect(whole.headers['accept-ranges']).toBe('bytes');
      expect((whole.body as Buffer).toString()).toBe('0123456789abcdef');
      const part = await sut.http
        .get(res.body.fileUrl)
        .set(auth(user))
        .set('Range', 'bytes=2-5')
        .buffer(true)
        .parse(binary)
        .expect(206);
      expect(part.headers['content-range']).toBe('bytes 2-5/16');
      expect((part.body as Buffer).toString()).toBe('2345');
      await sut.http.get(res.body.fileUrl).set(auth(user)).set('If-None-Match', whole.headers.etag).expect(304);

      const thumb = await sut.http.get(res.body.thumbnailUrl).set(auth(user)).buffer(true).parse(binary).expect(200);
      expect(thumb.headers['content-type']).toBe('image/jpeg');
      expect(thumb.body).toEqual(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
      const vtt = await sut.http.get(res.body.subtitlesUrl).set(auth(user)).expect(200);
      expect(vtt.headers['content-type']).toMatch(/^text\/vtt/);
      expect(vtt.text).toContain('WEBVTT');

      expect(await videosService().markReady(video.id, { ...video, file: {} as never } as never)).toBeNull();
    });

    it('a video rendered without subtitles has no subtitles URL (404)', async () => {
      const { video } = await readyVideo(project.id, false);
      const res = await sut.http.get(`/api/v1/videos/${video.id}`).set(auth(user)).expect(200);
      expect(res.body).toMatchObject({ status: 'ready', subtitlesUrl: null });
      await sut.http.get(`/api/v1/videos/${video.id}/subtitles`).set(auth(user)).expect(404);
    });

    it('lists videos, all of the caller’s or one project’s, newest first', async () => {
      const second = (await createProject({ title: 'Second' }).expect(201)).body;
      const { video } = await readyVideo(second.id);
      const ofSecond = await sut.http.get(`/api/v1/videos?projectId=${second.id}`).set(auth(user)).expect(200);
      expect(ofSecond.body).toEqual({
        items: [expect.objectContaining({ id: video.id })],
        total: 1,
        page: 1,
        limit: 20,
      });
      const all = await sut.http.get('/api/v1/videos?limit=2').set(auth(user)).expect(200);
      expect(all.body.total).toBeGreaterThanOrEqual(4);
      expect(all.body.items[0].id).toBe(video.id);
      const none = await sut.http.get('/api/v1/videos').set(auth(other)).expect(200);
      expect(none.body).toEqual({ items: [], total: 0, page: 1, limit: 20 });
      const bad = await sut.http.get('/api/v1/videos?projectId=abc').set(auth(user)).expect(400);
      expect(fields(bad.body)).toEqual(['projectId']);
      await sut.http.get(`/api/v1/videos?projectId=${randomUUID()}`).set(auth(user)).expect(404);
    });

    it('answers 404 for someone else’s video, and for unknown ids', async () => {
      const { video } = await readyVideo(project.id);
      for (const path of ['', '/file', '/thumbnail', '/subtitles']) {
        const res = await sut.http.get(`/api/v1/videos/${video.id}${path}`).set(auth(other)).expect(404);
        expect(res.body).toMatchObject(errorShape('NOT_FOUND', 404));
      }
      await sut.http.delete(`/api/v1/videos/${video.id}`).set(auth(other)).expect(404);
      await sut.http.get(`/api/v1/videos/${randomUUID()}`).set(auth(user)).expect(404);
      await sut.http.get('/api/v1/videos/nope').set(auth(user)).expect(404);
      await sut.http.get(`/api/v1/videos/${video.id}`).set(auth(user)).expect(200);
    });

    it('DELETE /videos/:id removes the row and its files; latestVideoId falls back', async () => {
      const own = (await createProject({ title: 'Two renders' }).expect(201)).body;
      const older = await readyVideo(own.id);
      const newer = await readyVideo(own.id);
      await sut.running.app.get(ProjectsService).setLatestVideo(own.id, newer.video.id);
      const before = await sut.http.get(`/api/v1/projects/${own.id}`).set(auth(user)).expect(200);
      expect(before.body.latestVideoId).toBe(newer.video.id);

      await sut.http.delete(`/api/v1/videos/${newer.video.id}`).set(auth(user)).expect(204);
      await sut.http.get(`/api/v1/videos/${newer.video.id}`).set(auth(user)).expect(404);
      for (const key of Object.values(newer.keys)) {
        expect(await storage().exists(key)).toBe(false);
      }
      expect(await storage().exists(older.keys.file)).toBe(true);
      const after = await sut.http.get(`/api/v1/projects/${own.id}`).set(auth(user)).expect(200);
      expect(after.body.latestVideoId).toBe(older.video.id);
      await sut.http.delete(`/api/v1/videos/${newer.video.id}`).set(auth(user)).expect(404);
    });
  });

  describe('DELETE /projects/:id', () => {
    it('removes the project with its scenes, videos (and their files) and tasks', async () => {
      const created = (
        await createProject({ title: 'Doomed', scenes: [{ narration: 'one' }, { narration: 'two' }] }).expect(201)
      ).body;
      const projectRow = (await projectsRepository().findById(created.id))!;
      const pending = await videosService().createPending(projectRow, 'high');
      const keys = videoStorageKeys(user.id, pending.id);
      const file = await storeObject(keys.file, 'mp4 bytes');
      const thumbnail = await storeObject(keys.thumbnail, 'jpeg bytes');
      await videosService().markReady(pending.id, { file, thumbnail, subtitles: null, durationMs: 1000 });
      const segmentKey = `projects/${user.id}/${created.id}/segments/${'b'.repeat(64)}.mp4`;
      await storeObject(segmentKey, 'segment');
      await projectsRepository().recordSegment(created.scenes[0].id, { hash: 'b'.repeat(64), storageKey: segmentKey });
      const tasks = sut.running.app.get(TasksRepository);
      const newTask = (status: 'queued' | 'completed') =>
        tasks.create({
          id: randomUUID(),
          ownerId: user.id,
          type: 'render',
          input: { status },
          maxAttempts: 1,
          idempotencyKey: null,
          callbackUrl: null,
          projectId: created.id,
          videoId: pending.id,
        });
      const queued = (await newTask('queued'))!;
      const done = (await newTask('completed'))!;
      await db().query("UPDATE tasks SET status = 'completed' WHERE id = ?", [done.id]);
      const count = async (table: string, column: string) =>
        Number((await db().query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`, [created.id]))[0].n);
      expect(await count('project_scenes', 'project_id')).toBe(2);

      await sut.http.delete(`/api/v1/projects/${created.id}`).set(auth(user)).expect(204);

      await sut.http.get(`/api/v1/projects/${created.id}`).set(auth(user)).expect(404);
      await sut.http.get(`/api/v1/videos/${pending.id}`).set(auth(user)).expect(404);
      await sut.http.get(`/api/v1/tasks/${queued.id}`).set(auth(user)).expect(404);
      await sut.http.get(`/api/v1/tasks/${done.id}`).set(auth(user)).expect(404);
      expect(await count('project_scenes', 'project_id')).toBe(0);
      expect(await count('videos', 'project_id')).toBe(0);
      expect(await count('tasks', 'project_id')).toBe(0);
      for (const key of [keys.file, keys.thumbnail, segmentKey]) {
        expect(await storage().exists(key)).toBe(false);
      }
      await sut.http.delete(`/api/v1/projects/${created.id}`).set(auth(user)).expect(404);
    });
  });
});
