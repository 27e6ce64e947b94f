import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { TusUploadsService } from 'src/modules/assets/tus-uploads.service';
import { makeMediaFixtures, MediaFixtures } from 'test/utils/media-fixtures';
import { errorShape, registerUser, RegisteredUser, startTestApp, TestApp } from 'test/utils/test-app';
import { TusTestClient } from 'test/utils/tus-client';
import { waitFor } from 'test/utils/wait';

const LIMIT = 400_000;

/** Every file under a directory, recursively (storage contents). */
function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

describe('Assets (e2e)', () => {
  let sut: TestApp;
  let user: RegisteredUser;
  let other: RegisteredUser;
  let media: MediaFixtures;
  let fixtureDir: string;
  const auth = (who: RegisteredUser) => ({ Authorization: `Bearer ${who.accessToken}` });
  const storageDir = () => join(sut.dataDir, 'storage');
  const assetRows = async () =>
    Number((await sut.running.app.get(DataSource).query('SELECT COUNT(*) AS n FROM assets'))[0].n);

  beforeAll(async () => {
    fixtureDir = mkdtempSync(join(tmpdir(), 'reelsmith-asset-fixtures-'));
    media = makeMediaFixtures(fixtureDir);
    sut = await startTestApp({ MAX_UPLOAD_BYTES: String(LIMIT) });
    user = await registerUser(sut.http);
    other = await registerUser(sut.http);
  });

  afterAll(async () => {
    await sut.close();
    rmSync(fixtureDir, { recursive: true, force: true });
  });

  const upload = (file: string, name: string, contentType?: string) =>
    sut.http.post('/api/v1/assets').set(auth(user)).attach('file', file, { filename: name, contentType });

  describe('multipart upload', () => {
    it.each([
      ['png', 'still.png', { kind: 'image', mimeType: 'image/png', width: 64, height: 48 }],
      ['jpeg', 'photo.jpg', { kind: 'image', mimeType: 'image/jpeg', width: 80, height: 60 }],
      ['mp4', 'clip.mp4', { kind: 'video', mimeType: 'video/mp4', width: 160, height: 120 }],
      ['wav', 'tone.wav', { kind: 'audio', mimeType: 'audio/wav', durationMs: 500 }],
      ['mp3', 'tone.mp3', { kind: 'audio', mimeType: 'audio/mpeg' }],
    ] as const)('keeps a real %s with its metadata', async (key, name, expected) => {
      const res = await upload(media[key], name).expect(201);
      expect(res.body).toMatchObject({
        ...expected,
        id: expect.any(String),
        originalName: name,
        sizeBytes: statSync(media[key]).size,
        createdAt: expect.any(String),
      });
      if (expected.kind !== 'image') {
        expect(res.body.durationMs).toBeGreaterThan(400);
      }
      const read = await sut.http.get(`/api/v1/assets/${res.body.id}`).set(auth(user)).expect(200);
      expect(read.body).toEqual(res.body);
    });

    it('decides the type from the content: a text file named .png sent as image/png is 415 and nothing is kept', async () => {
      const fake = join(fixtureDir, 'fake.png');
      writeFileSync(fake, 'This is not a picture, whatever its name says.');
      const filesBefore = listFiles(storageDir()).length;
      const rowsBefore = await assetRows();
      const res = await upload(fake, 'fake.png', 'image/png').expect(415);
      expect(res.body).toMatchObject(errorShape('UNSUPPORTED_MEDIA_TYPE', 415));
      expect(listFiles(storageDir())).toHaveLength(filesBefore);
      expect(await assetRows()).toBe(rowsBefore);
      expect(listFiles(join(sut.dataDir, 'tmp'))).toEqual([]);
    });

    it('refuses a playlist that points elsewhere with 415', async () => {
      const playlist = join(fixtureDir, 'list.m3u8');
      writeFileSync(playlist, '#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n');
      await upload(playlist, 'video.mp4', 'video/mp4').expect(415);
    });

    it('answers an upload over MAX_UPLOAD_BYTES with 413 and keeps storage as it was', async () => {
      const big = join(fixtureDir, 'big.wav');
      writeFileSync(big, Buffer.concat([readFileSync(media.wav), Buffer.alloc(LIMIT)]));
      const filesBefore = listFiles(storageDir());
      const res = await upload(big, 'big.wav');
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject(errorShape('PAYLOAD_TOO_LARGE', 413));
      expect(listFiles(storageDir())).toEqual(filesBefore);
      expect(listFiles(join(sut.dataDir, 'tmp'))).toEqual([]);
    });

    it('stops reading a body that grows past the limit without announcing its size', async () => {
      const filesBefore = listFiles(storageDir());
      const status = await new Promise<number>((resolve, reject) => {
        const boundary = 'reelsmith-boundary';
        const req = request(`${sut.running.url}/api/v1/assets`, {
          method: 'POST',
          headers: {
            ...auth(user),
            'Content-Type': `multipart/form-data; boundary=${boundary}`,
            'Transfer-Encoding': 'chunked',
          },
        });
        req.on('response', (res) => resolve(res.statusCode ?? 0));
        req.on('error', reject);
        req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.wav"\r\n\r\n`);
        for (let i = 0; i < 10; i++) {
          req.write(Buffer.alloc(LIMIT / 4, 1));
        }
        req.end(`\r\n--${boundary}--\r\n`);
      });
      expect(status).toBe(413);
      expect(listFiles(storageDir())).toEqual(filesBefore);
      await waitFor(() => listFiles(join(sut.dataDir, 'tmp')).length === 0, 2000, 'spool emptied');
    });

    it('leaves nothing behind when the client aborts mid-upload', async () => {
      const filesBefore = listFiles(storageDir());
      const rowsBefore = await assetRows();
      await new Promise<void>((resolve) => {
        const boundary = 'abort-boundary';
        const req = request(`${sut.running.url}/api/v1/assets`, {
          method: 'POST',
          headers: {
            ...auth(user),
            'Content-Type': `multipart/form-data; boundary=${boundary}`,
            'Content-Length': '300000',
          },
        });
        req.on('error', () => resolve());
        req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.mp4"\r\n\r\n`);
        req.write(readFileSync(media.mp4), () => setTimeout(() => req.destroy(), 150));
        req.on('close', () => resolve());
      });
      await waitFor(() => listFiles(join(sut.dataDir, 'tmp')).length === 0, 3000, 'spool emptied');
      expect(listFiles(storageDir())).toEqual(filesBefore);
      expect(await assetRows()).toBe(rowsBefore);
    });

    it('asks for the file field', async () => {
      const res = await sut.http.post('/api/v1/assets').set(auth(user)).send({ file: 'nope' }).expect(400);
      expect(res.body.details).toEqual([{ field: 'file', message: 'must be a file sent as multipart/form-data' }]);
    });
  });

  describe('downloads', () => {
    let assetId: string;
    let bytes: Buffer;

    beforeAll(async () => {
      bytes = readFileSync(media.mp4);
      assetId = (await upload(media.mp4, 'clip.mp4').expect(201)).body.id;
    });

    it('serves the whole file with its type and ETag, and 304 for a matching If-None-Match', async () => {
      const res = await sut.http.get(`/api/v1/assets/${assetId}/file`).set(auth(user)).responseType('blob').expect(200);
      expect(res.headers['content-type']).toBe('video/mp4');
      expect(Buffer.compare(res.body as Buffer, bytes)).toBe(0);
      const etag = res.headers.etag;
      expect(etag).toMatch(/^"/);
      await sut.http.get(`/api/v1/assets/${assetId}/file`).set(auth(user)).set('If-None-Match', etag).expect(304);
    });

    it.each([
      ['bytes=0-9', 0, 9],
      ['bytes=100-', 100, undefined],
      ['bytes=-16', -16, undefined],
      ['bytes=7-7', 7, 7],
    ])('answers Range %s with 206 and exactly those bytes', async (range, start, end) => {
      const res = await sut.http
        .get(`/api/v1/assets/${assetId}/file`)
        .set(auth(user))
        .set('Range', range)
        .responseType('blob')
        .expect(206);
      const from = start < 0 ? bytes.length + start : start;
      const to = end === undefined ? bytes.length - 1 : end;
      expect(Buffer.compare(res.body as Buffer, bytes.subarray(from, to + 1))).toBe(0);
      expect(res.headers['content-range']).toBe(`bytes ${from}-${to}/${bytes.length}`);
    });

    it('answers an unsatisfiable range with 416', async () => {
      const res = await sut.http
        .get(`/api/v1/assets/${assetId}/file`)
        .set(auth(user))
        .set('Range', `bytes=${bytes.length}-`)
        .expect(416);
      expect(res.headers['content-range']).toBe(`bytes */${bytes.length}`);
    });

    it("answers 404 for someone else's asset and its file", async () => {
      await sut.http.get(`/api/v1/assets/${assetId}`).set(auth(other)).expect(404);
      await sut.http.get(`/api/v1/assets/${assetId}/file`).set(auth(other)).expect(404);
      await sut.http.delete(`/api/v1/assets/${assetId}`).set(auth(other)).expect(404);
    });

    it('lists own assets by kind, newest first', async () => {
      const res = await sut.http.get('/api/v1/assets?kind=video&limit=100').set(auth(user)).expect(200);
      expect(res.body.items[0].id).toBe(assetId);
      expect(res.body.items.every((a: { kind: string }) => a.kind === 'video')).toBe(true);
      const none = await sut.http.get('/api/v1/assets').set(auth(other)).expect(200);
      expect(none.body).toMatchObject({ items: [], total: 0, page: 1, limit: 20 });
    });

    it('deletes an asset and its file with 204', async () => {
      const id = (await upload(media.png, 'bye.png').expect(201)).body.id;
      const filesBefore = listFiles(storageDir()).length;
      await sut.http.delete(`/api/v1/assets/${id}`).set(auth(user)).expect(204);
      await sut.http.get(`/api/v1/assets/${id}`).set(auth(user)).expect(404);
      expect(listFiles(storageDir())).toHaveLength(filesBefore - 1);
    });
  });

  describe('tus resumable uploads', () => {
    const client = () => new TusTestClient(sut.running.url!, user.accessToken);

    it('creates, resumes after an interrupted PATCH, completes, and becomes the asset with the same id', async () => {
      const bytes = readFileSync(media.mp4);
      const created = await client().create(bytes.length, 'resumed clip.mp4');
      expect(created.status).toBe(201);
      const location = String(created.headers.location);
      const uploadId = location.split('/').pop()!;

      await client().patchAndDrop(location, 0, bytes.subarray(0, Math.floor(bytes.length / 2)), bytes.length);
      const head = await client().head(location);
      expect(head.status).toBe(200);
      const offset = Number(head.headers['upload-offset']);
      expect(offset).toBeGreaterThan(0);
      expect(offset).toBeLessThan(bytes.length);

      const finished = await client().patch(location, offset, bytes.subarray(offset));
      expect(finished.status).toBe(204);
      const asset = await sut.http.get(`/api/v1/assets/${uploadId}`).set(auth(user)).expect(200);
      expect(asset.body).toMatchObject({
        id: uploadId,
        kind: 'video',
        originalName: 'resumed clip.mp4',
        sizeBytes: bytes.length,
      });
      const file = await sut.http
        .get(`/api/v1/assets/${uploadId}/file`)
        .set(auth(user))
        .responseType('blob')
        .expect(200);
      expect(Buffer.compare(file.body as Buffer, bytes)).toBe(0);
    });

    it('refuses a finished upload that is not media with 415 and keeps nothing', async () => {
      const text = Buffer.from('plain text pretending to be a video');
      const created = await client().create(text.length, 'movie.mp4');
      const location = String(created.headers.location);
      const finished = await client().patch(location, 0, text);
      expect(finished.status).toBe(415);
      expect(JSON.parse(finished.body)).toMatchObject(errorShape('UNSUPPORTED_MEDIA_TYPE', 415));
      await sut.http
        .get(`/api/v1/assets/${location.split('/').pop()}`)
        .set(auth(user))
        .expect(404);
      expect(listFiles(join(sut.dataDir, 'tmp', 'tus'))).toEqual([]);
    });

    it('applies the size limit at creation', async () => {
      expect((await client().create(LIMIT + 1, 'huge.mp4')).status).toBe(413);
    });

    it("hides someone else's upload and supports termination", async () => {
      const created = await client().create(10, 'mine.wav');
      const location = String(created.headers.location);
      const stranger = new TusTestClient(sut.running.url!, other.accessToken);
      expect((await stranger.head(location)).status).toBe(404);
      expect((await stranger.patch(location, 0, Buffer.alloc(10))).status).toBe(404);
      expect((await client().terminate(location)).status).toBe(204);
      expect([404, 410]).toContain((await client().head(location)).status);
    });

    it('removes abandoned uploads once they expire', async () => {
      const created = await client().create(1000, 'abandoned.mp4');
      const id = String(created.headers.location).split('/').pop()!;
      await client().patch(String(created.headers.location), 0, Buffer.alloc(100));
      const tusDir = join(sut.dataDir, 'tmp', 'tus');
      const infoFile = join(tusDir, `${id}.json`);
      const info = JSON.parse(readFileSync(infoFile, 'utf8'));
      writeFileSync(
        infoFile,
        JSON.stringify({ ...info, creation_date: new Date(Date.now() - 25 * 3600 * 1000).toISOString() }),
      );
      expect(await sut.running.app.get(TusUploadsService).cleanUpExpired()).toBe(1);
      expect(listFiles(tusDir).filter((file) => file.includes(id))).toEqual([]);
    });

    it('requires a token', async () => {
      const anonymous = await sut.http.post('/api/v1/uploads').set('Tus-Resumable', '1.0.0').set('Upload-Length', '10');
      expect(anonymous.status).toBe(401);
    });
  });
});
