import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorShape, registerUser, RegisteredUser, startTestApp, TestApp } from 'test/utils/test-app';

/** Duration of an audio file as ffprobe sees it, in ms. */
function probeMs(file: string): number {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Math.round(Number(out.toString().trim()) * 1000);
}

describe('Voice (e2e, offline espeak-ng)', () => {
  let sut: TestApp;
  let user: RegisteredUser;
  let scratch: string;
  const auth = (who: RegisteredUser) => ({ Authorization: `Bearer ${who.accessToken}` });
  const speechObjects = () => {
    try {
      return readdirSync(join(sut.dataDir, 'storage', 'speech'), { recursive: true }).length;
    } catch {
      return 0;
    }
  };

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'reelsmith-voice-'));
    sut = await startTestApp();
    user = await registerUser(sut.http);
  });

  afterAll(async () => {
    await sut.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const downloadMs = async (who: RegisteredUser, assetId: string) => {
    const file = await sut.http.get(`/api/v1/assets/${assetId}/file`).set(auth(who)).responseType('blob').expect(200);
    const path = join(scratch, `${assetId}.m4a`);
    writeFileSync(path, file.body as Buffer);
    return probeMs(path);
  };

  it('lists the offline voices, English and Mandarin among them', async () => {
    const res = await sut.http.get('/api/v1/voices').set(auth(user)).expect(200);
    const ids = (res.body as { id: string; provider: string; language: string; name: string }[]).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['espeak:en-us', 'espeak:cmn']));
    expect(res.body[0]).toMatchObject({ provider: 'espeak', language: expect.any(String), name: expect.any(String) });
  });

  it.each([
    ['English', 'Honeybees dance to share directions. The waggle points toward the flowers!', 'espeak:en-us', 2],
    ['Mandarin', '蜜蜂用舞蹈交流。它们告诉同伴花在哪里。', undefined, 2],
  ])(
    'speaks %s into an audio asset whose ffprobe duration matches the stored one',
    async (_lang, text, voiceId, sentences) => {
      const res = await sut.http
        .post('/api/v1/voice/synthesize?wait=30')
        .set(auth(user))
        .send({ text, ...(voiceId ? { voiceId } : {}) })
        .expect(200);
      expect(res.body).toMatchObject({ type: 'voice', status: 'completed' });
      const { assetId, durationMs, sentences: timings } = res.body.result;
      expect(timings).toHaveLength(sentences);
      expect(timings[1].startMs).toBeGreaterThan(timings[0].durationMs);
      const asset = await sut.http.get(`/api/v1/assets/${assetId}`).set(auth(user)).expect(200);
      expect(asset.body).toMatchObject({ kind: 'audio', mimeType: 'audio/mp4', durationMs });
      expect(Math.abs((await downloadMs(user, assetId)) - durationMs)).toBeLessThanOrEqual(30);
      expect(durationMs).toBeGreaterThan(1000);
    },
  );

  it('synthesizes the same speech once and shares it across users', async () => {
    const text = 'Shared speech is stored only once. Everyone gets their own asset.';
    const first = await sut.http.post('/api/v1/voice/synthesize?wait=30').set(auth(user)).send({ text }).expect(200);
    expect(first.body.result.usage).toEqual({ characters: text.length - 1, cached: false });
    const objects = speechObjects();
    const someoneElse = await registerUser(sut.http);
    const second = await sut.http
      .post('/api/v1/voice/synthesize?wait=30')
      .set(auth(someoneElse))
      .send({ text })
      .expect(200);
    expect(second.body.result.usage).toEqual({ characters: 0, cached: true });
    expect(speechObjects()).toBe(objects);
    expect(second.body.result.assetId).not.toBe(first.body.result.assetId);
    await sut.http.get(`/api/v1/assets/${second.body.result.assetId}`).set(auth(user)).expect(404);
    // Deleting one user's asset keeps the shared audio for the other.
    await sut.http.delete(`/api/v1/assets/${first.body.result.assetId}`).set(auth(user)).expect(204);
    expect(await downloadMs(someoneElse, second.body.result.assetId)).toBeGreaterThan(1000);
  });

  it('validates voice, speed and text', async () => {
    const res = await sut.http
      .post('/api/v1/voice/synthesize')
      .set(auth(user))
      .send({ text: 'hi', voiceId: 'espeak:klingon' })
      .expect(400);
    expect(res.body).toMatchObject(errorShape('VALIDATION_FAILED', 400));
    expect(res.body.details).toEqual([
      { field: 'voiceId', message: 'must be one of the voices listed by GET /voices' },
    ]);
    const bad = await sut.http
      .post('/api/v1/voice/synthesize')
      .set(auth(user))
      .send({ text: '   ', speed: 3 })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['speed', 'text']);
  });
});
