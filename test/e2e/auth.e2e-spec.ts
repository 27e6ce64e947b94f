import { createHmac } from 'node:crypto';
import { errorShape, registerUser, startTestApp, TestApp } from 'test/utils/test-app';

describe('Auth (e2e)', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({
      ADMIN_EMAIL: 'Admin@Example.com',
      ADMIN_PASSWORD: 'admin-password-1',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
    });
  });

  afterAll(() => sut.close());

  it('registers, logs in, reads me and refreshes as the contract says', async () => {
    const email = 'Flow@Example.com';
    const registered = await sut.http
      .post('/api/v1/auth/register')
      .send({ email, password: 'a-good-password', displayName: 'Flo' })
      .expect(201);
    expect(registered.body).toEqual({
      user: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: 'flow@example.com',
        displayName: 'Flo',
        role: 'user',
        createdAt: expect.any(String),
      },
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
    });
    expect(JSON.stringify(registered.body)).not.toContain('password');

    const login = await sut.http.post('/api/v1/auth/login').send({ email, password: 'a-good-password' }).expect(200);
    const me = await sut.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${login.body.accessToken}`)
      .expect(200);
    expect(me.body).toEqual(registered.body.user);

    const refreshed = await sut.http
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(200);
    expect(refreshed.body.refreshToken).not.toEqual(login.body.refreshToken);
    await sut.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${refreshed.body.accessToken}`).expect(200);
  });

  it('refuses a taken email with 409 CONFLICT', async () => {
    const user = await registerUser(sut.http);
    const res = await sut.http
      .post('/api/v1/auth/register')
      .send({ email: user.email.toUpperCase(), password: 'whatever-password' })
      .expect(409);
    expect(res.body).toMatchObject(errorShape('CONFLICT', 409));
  });

  it('creates exactly one account when the same email registers twice at once', async () => {
    const body = { email: 'race@example.com', password: 'race-password' };
    const results = await Promise.all([1, 2, 3].map(() => sut.http.post('/api/v1/auth/register').send(body)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('answers a wrong password with 401 INVALID_CREDENTIALS and an unknown email the same way', async () => {
    const user = await registerUser(sut.http);
    const wrong = await sut.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'nope-nope' })
      .expect(401);
    expect(wrong.body).toMatchObject(errorShape('INVALID_CREDENTIALS', 401));
    const unknown = await sut.http
      .post('/api/v1/auth/login')
      .send({ email: 'ghost@example.com', password: 'nope-nope' })
      .expect(401);
    expect(unknown.body.message).toEqual(wrong.body.message);
  });

  it('throttles an account after repeated failures, even with the right password, with Retry-After', async () => {
    const user = await registerUser(sut.http);
    for (let i = 0; i < 3; i++) {
      await sut.http.post('/api/v1/auth/login').send({ email: user.email, password: 'wrong-password' }).expect(401);
    }
    const blocked = await sut.http.post('/api/v1/auth/login').send({ email: user.email, password: user.password });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject(errorShape('RATE_LIMITED', 429));
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('rotates refresh tokens and revokes the family when a rotated token is reused', async () => {
    const user = await registerUser(sut.http);
    const first = await sut.http.post('/api/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
    const reuse = await sut.http.post('/api/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
    expect(reuse.body).toMatchObject(errorShape('UNAUTHORIZED', 401));
    // The thief's reuse also kills the token the legitimate client holds now.
    await sut.http.post('/api/v1/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(401);
  });

  it('refuses malformed and forged refresh tokens', async () => {
    await sut.http.post('/api/v1/auth/refresh').send({ refreshToken: 'garbage' }).expect(401);
    const user = await registerUser(sut.http);
    const [id] = user.refreshToken.split('.');
    await sut.http
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: `${id}.forged-secret` })
      .expect(401);
  });

  it('requires a valid bearer token on /api/v1 routes', async () => {
    const missing = await sut.http.get('/api/v1/auth/me').expect(401);
    expect(missing.body).toMatchObject(errorShape('UNAUTHORIZED', 401));
    await sut.http.get('/api/v1/auth/me').set('Authorization', 'Bearer not-a-jwt').expect(401);
    await sut.http.get('/api/v1/auth/me').set('Authorization', 'Basic abc').expect(401);
  });

  it('pins the signing algorithm: unsigned and foreign-key tokens are refused', async () => {
    const user = await registerUser(sut.http);
    const [, payload] = user.accessToken.split('.');
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    await sut.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${unsigned}`).expect(401);
    const header = b64({ alg: 'HS256', typ: 'JWT' });
    const forgedSig = createHmac('sha256', 'not-the-secret').update(`${header}.${payload}`).digest('base64url');
    await sut.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${header}.${payload}.${forgedSig}`).expect(401);
  });

  it('creates the admin from ADMIN_EMAIL / ADMIN_PASSWORD', async () => {
    const res = await sut.http
      .post('/api/v1/auth/login')
      .send({ email: 'admin@example.com', password: 'admin-password-1' })
      .expect(200);
    expect(res.body.user.role).toBe('admin');
  });
});
