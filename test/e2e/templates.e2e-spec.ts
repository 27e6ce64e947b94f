import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BUILT_IN_TEMPLATE_IDS } from 'src/modules/templates/templates.constants';
import { errorShape, registerUser, RegisteredUser, startTestApp, TestApp } from 'test/utils/test-app';

const ADMIN_EMAIL = 'templates-admin@example.com';
const ADMIN_PASSWORD = 'admin-password-1';

describe('Templates (e2e)', () => {
  let sut: TestApp;
  let user: RegisteredUser;
  let adminToken: string;
  const asUser = () => ({ Authorization: `Bearer ${user.accessToken}` });
  const asAdmin = () => ({ Authorization: `Bearer ${adminToken}` });
  const list = async () =>
    (await sut.http.get('/api/v1/templates').set(asUser()).expect(200)).body as { name: string }[];
  const names = async () => (await list()).map((template) => template.name);
  const create = (body: object) => sut.http.post('/api/v1/templates').set(asAdmin()).send(body);

  beforeAll(async () => {
    sut = await startTestApp({ ADMIN_EMAIL, ADMIN_PASSWORD });
    user = await registerUser(sut.http);
    const login = await sut.http
      .post('/api/v1/auth/login')
      .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
      .expect(200);
    adminToken = login.body.accessToken;
  });

  afterAll(() => sut.close());

  describe('built-ins', () => {
    it('exist from the first start, with fixed ids and the contract sizes', async () => {
      const templates = await list();
      expect(templates.slice(0, 3)).toEqual([
        {
          id: BUILT_IN_TEMPLATE_IDS['vertical-default'],
          name: 'vertical-default',
          aspectRatio: '9:16',
          width: 1080,
          height: 1920,
          fps: 30,
          fontFamily: 'Noto Sans CJK SC',
          subtitleStyle: { fontSize: 115, primaryColor: '#FFFFFF', outlineColor: '#000000', position: 'bottom' },
          transition: 'fade',
          transitionMs: 300,
          musicVolume: 0.25,
          kenBurns: true,
          builtIn: true,
        },
        expect.objectContaining({
          id: BUILT_IN_TEMPLATE_IDS['landscape-default'],
          name: 'landscape-default',
          aspectRatio: '16:9',
          width: 1920,
          height: 1080,
          fps: 30,
          kenBurns: true,
          builtIn: true,
        }),
        expect.objectContaining({
          id: BUILT_IN_TEMPLATE_IDS['square-default'],
          name: 'square-default',
          aspectRatio: '1:1',
          width: 1080,
          height: 1080,
          fps: 30,
          kenBurns: false,
          builtIn: true,
        }),
      ]);
    });

    it('cannot be deleted (409), by id or by name', async () => {
      for (const ref of [BUILT_IN_TEMPLATE_IDS['square-default'], 'landscape-default']) {
        const res = await sut.http.delete(`/api/v1/templates/${ref}`).set(asAdmin()).expect(409);
        expect(res.body).toMatchObject(errorShape('CONFLICT', 409));
      }
      expect(await names()).toEqual(expect.arrayContaining(['square-default', 'landscape-default']));
    });

    it('can be tuned but not renamed', async () => {
      const ref = BUILT_IN_TEMPLATE_IDS['landscape-default'];
      const res = await sut.http.patch(`/api/v1/templates/${ref}`).set(asAdmin()).send({ fps: 25 }).expect(200);
      expect(res.body).toMatchObject({ id: ref, name: 'landscape-default', fps: 25, width: 1920 });
      await sut.http.patch(`/api/v1/templates/${ref}`).set(asAdmin()).send({ fps: 30 }).expect(200);
      const rename = await sut.http
        .patch(`/api/v1/templates/${ref}`)
        .set(asAdmin())
        .send({ name: 'landscape-renamed' })
        .expect(409);
      expect(rename.body).toMatchObject(errorShape('CONFLICT', 409));
    });
  });

  describe('access', () => {
    it('needs a token to read', async () => {
      const res = await sut.http.get('/api/v1/templates').expect(401);
      expect(res.body).toMatchObject(errorShape('UNAUTHORIZED', 401));
    });

    it('refuses writes from a user who is not admin with 403', async () => {
      const ref = BUILT_IN_TEMPLATE_IDS['vertical-default'];
      const attempts = [
        sut.http.post('/api/v1/templates').set(asUser()).send({ name: 'mine', width: 1080, height: 1920 }),
        sut.http.patch(`/api/v1/templates/${ref}`).set(asUser()).send({ fps: 60 }),
        sut.http.delete(`/api/v1/templates/${ref}`).set(asUser()),
      ];
      for (const attempt of attempts) {
        const res = await attempt;
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject(errorShape('FORBIDDEN', 403));
      }
      expect(await names()).not.toContain('mine');
    });
  });

  describe('admin writes', () => {
    it('creates a template with defaults filled in (201) and lists it at once', async () => {
      expect(await names()).not.toContain('portrait-720');
      const res = await create({ name: 'portrait-720', width: 720, height: 1280 }).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'portrait-720',
        aspectRatio: '9:16',
        width: 720,
        height: 1280,
        fps: 30,
        fontFamily: 'Noto Sans CJK SC',
        subtitleStyle: { fontSize: 77, primaryColor: '#FFFFFF', outlineColor: '#000000', position: 'bottom' },
        transition: 'fade',
        transitionMs: 300,
        musicVolume: 0.25,
        kenBurns: true,
        builtIn: false,
      });
      expect(await list()).toContainEqual(res.body);
    });

    it('keeps every field it is given', async () => {
      const body = {
        name: 'cinema',
        aspectRatio: '16:9',
        width: 1280,
        height: 720,
        fps: 24,
        fontFamily: 'DejaVu Sans',
        subtitleStyle: { fontSize: 40, primaryColor: '#ffee00', outlineColor: '#101010', position: 'top' },
        transition: 'slide',
        transitionMs: 500,
        musicVolume: 0.5,
        kenBurns: false,
      };
      const res = await create(body).expect(201);
      expect(res.body).toMatchObject({
        ...body,
        subtitleStyle: { ...body.subtitleStyle, primaryColor: '#FFEE00' },
        builtIn: false,
      });
    });

    it('serves the list from the cache and drops it on every write', async () => {
      await list(); // cached now
      // A row written behind the API's back stays invisible while the cached answer lives...
      await sut.running.app
        .get(DataSource)
        .query(
          'INSERT INTO templates (id, name, aspect_ratio, width, height, fps, font_family, subtitle_font_size, ' +
            'subtitle_primary_color, subtitle_outline_color, subtitle_position, transition, transition_ms, ' +
            'music_volume, ken_burns, built_in, created_at, updated_at) ' +
            "VALUES (?, 'behind-the-back', '1:1', 500, 500, 30, 'X', 30, '#FFFFFF', '#000000', 'bottom', 'none', 0, " +
            "0, 0, 0, '2030-01-01 00:00:00.000', '2030-01-01 00:00:00.000')",
          [randomUUID()],
        );
      expect(await names()).not.toContain('behind-the-back');
      // ...and every admin write shows the current catalogue at once.
      await create({ name: 'square-small', width: 480, height: 480 }).expect(201);
      expect(await names()).toEqual(expect.arrayContaining(['square-small', 'behind-the-back']));

      await sut.http.patch('/api/v1/templates/square-small').set(asAdmin()).send({ name: 'square-tiny' }).expect(200);
      expect(await names()).toContain('square-tiny');
      expect(await names()).not.toContain('square-small');

      await sut.http.delete('/api/v1/templates/square-tiny').set(asAdmin()).expect(204);
      expect(await names()).not.toContain('square-tiny');
      // The query string does not make another cache entry that a write would miss.
      const withQuery = await sut.http.get('/api/v1/templates?fresh=1').set(asUser()).expect(200);
      expect(withQuery.body.map((template: { name: string }) => template.name)).not.toContain('square-tiny');
    });

    it('updates by id or by name, re-deriving the aspect ratio from a new frame', async () => {
      const created = await create({ name: 'flexible', width: 1080, height: 1080 }).expect(201);
      const byId = await sut.http
        .patch(`/api/v1/templates/${created.body.id}`)
        .set(asAdmin())
        .send({ width: 1920, height: 1080, subtitleStyle: { position: 'center' } })
        .expect(200);
      expect(byId.body).toMatchObject({
        aspectRatio: '16:9',
        width: 1920,
        height: 1080,
        subtitleStyle: { fontSize: 65, primaryColor: '#FFFFFF', position: 'center' },
      });
      const byName = await sut.http
        .patch('/api/v1/templates/flexible')
        .set(asAdmin())
        .send({ musicVolume: 0, kenBurns: false })
        .expect(200);
      expect(byName.body).toMatchObject({ id: created.body.id, musicVolume: 0, kenBurns: false, width: 1920 });
    });

    it('refuses a name that is taken with 409, on create and on rename', async () => {
      await create({ name: 'taken', width: 1080, height: 1920 }).expect(201);
      const again = await create({ name: 'taken', width: 1080, height: 1920 }).expect(409);
      expect(again.body).toMatchObject(errorShape('CONFLICT', 409));
      await create({ name: 'other', width: 1080, height: 1920 }).expect(201);
      const rename = await sut.http.patch('/api/v1/templates/other').set(asAdmin()).send({ name: 'taken' }).expect(409);
      expect(rename.body).toMatchObject(errorShape('CONFLICT', 409));
      await sut.http.patch('/api/v1/templates/vertical-default').set(asAdmin()).send({ name: 'taken' }).expect(409);
    });

    it('answers 404 for a template that does not exist', async () => {
      for (const ref of [randomUUID(), 'no-such-template']) {
        const patch = await sut.http.patch(`/api/v1/templates/${ref}`).set(asAdmin()).send({ fps: 30 }).expect(404);
        expect(patch.body).toMatchObject(errorShape('NOT_FOUND', 404));
        await sut.http.delete(`/api/v1/templates/${ref}`).set(asAdmin()).expect(404);
      }
    });

    it('deletes an unused template (204) and refuses one a project uses (409)', async () => {
      const unused = await create({ name: 'short-lived', width: 1080, height: 1920 }).expect(201);
      await sut.http.delete(`/api/v1/templates/${unused.body.id}`).set(asAdmin()).expect(204);
      expect(await names()).not.toContain('short-lived');

      const used = await create({ name: 'in-use', width: 1080, height: 1920 }).expect(201);
      const project = await sut.http
        .post('/api/v1/projects')
        .set(asUser())
        .send({ title: 'Uses a template', templateId: 'in-use' })
        .expect(201);
      expect(project.body.templateId).toBe(used.body.id);
      const refused = await sut.http.delete(`/api/v1/templates/${used.body.id}`).set(asAdmin()).expect(409);
      expect(refused.body).toMatchObject(errorShape('CONFLICT', 409));
      expect(await names()).toContain('in-use');

      await sut.http.delete(`/api/v1/projects/${project.body.id}`).set(asUser()).expect(204);
      await sut.http.delete(`/api/v1/templates/${used.body.id}`).set(asAdmin()).expect(204);
    });
  });

  describe('validation', () => {
    const valid = { name: 'valid-name', width: 1080, height: 1920 };

    it.each([
      ['an aspect ratio that does not match the frame', { aspectRatio: '16:9' }, ['aspectRatio']],
      ['a frame of none of the three ratios', { width: 1080, height: 1350 }, ['width', 'height']],
      ['an odd width', { width: 1081 }, ['width']],
      ['a height below 144', { height: 100 }, ['height']],
      ['a width above 4096', { width: 4098 }, ['width']],
      ['a width that is not a number', { width: '1080' }, ['width']],
      ['fps below 15', { fps: 10 }, ['fps']],
      ['fps above 60', { fps: 61 }, ['fps']],
      ['an unknown aspect ratio', { aspectRatio: '4:3' }, ['aspectRatio']],
      ['a colour that is not #RRGGBB', { subtitleStyle: { primaryColor: 'white' } }, ['subtitleStyle.primaryColor']],
      ['a short colour', { subtitleStyle: { outlineColor: '#000' } }, ['subtitleStyle.outlineColor']],
      ['an unknown subtitle position', { subtitleStyle: { position: 'left' } }, ['subtitleStyle.position']],
      ['an unknown subtitle field', { subtitleStyle: { bold: true } }, ['subtitleStyle.bold']],
      ['a music volume above 1', { musicVolume: 1.5 }, ['musicVolume']],
      ['a negative music volume', { musicVolume: -0.1 }, ['musicVolume']],
      ['a transition above 2000 ms', { transitionMs: 2500 }, ['transitionMs']],
      ['an unknown transition', { transition: 'wipe' }, ['transition']],
      ['kenBurns that is not a boolean', { kenBurns: 'yes' }, ['kenBurns']],
      ['a font family with separators', { fontFamily: 'Arial,Bold' }, ['fontFamily']],
      ['a name with capitals', { name: 'Vertical' }, ['name']],
      ['a name shaped like a UUID', { name: randomUUID() }, ['name']],
      ['a null field', { fps: null }, ['fps']],
      ['an unknown field', { owner: 'me' }, ['owner']],
    ])('refuses %s with 400 naming the field', async (_what, change, fields) => {
      const res = await create({ ...valid, ...change }).expect(400);
      expect(res.body).toMatchObject(errorShape('VALIDATION_FAILED', 400));
      expect(res.body.details.map((detail: { field: string }) => detail.field)).toEqual(expect.arrayContaining(fields));
    });

    it('names every missing required field', async () => {
      const res = await create({}).expect(400);
      const fields = res.body.details.map((detail: { field: string }) => detail.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'width', 'height']));
    });

    it('checks a change against the rest of the template', async () => {
      const ref = BUILT_IN_TEMPLATE_IDS['vertical-default'];
      const mismatch = await sut.http
        .patch(`/api/v1/templates/${ref}`)
        .set(asAdmin())
        .send({ aspectRatio: '1:1' })
        .expect(400);
      expect(mismatch.body.details).toEqual([{ field: 'aspectRatio', message: expect.any(String) }]);
      const nullName = await sut.http.patch(`/api/v1/templates/${ref}`).set(asAdmin()).send({ name: null }).expect(400);
      expect(nullName.body.details[0].field).toBe('name');
      expect(await names()).not.toContain('valid-name');
    });
  });
});
