import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AdminBasicAuthMiddleware } from 'src/modules/admin/basic-auth.middleware';
import { AuthErrors } from 'src/modules/auth/auth.errors';
import { AuthService } from 'src/modules/auth/auth.service';
import { LoginThrottleService } from 'src/modules/auth/login-throttle.service';
import { UserEntity, UserRole } from 'src/modules/users/entities/user.entity';

const CHALLENGE = 'Basic realm="Reelsmith admin", charset="UTF-8"';
const basic = (raw: string) => `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;
const unexpected = (name: string) =>
  jest.fn(() => {
    throw new Error(`unexpected call to ${name}`);
  });

function newRequest(authorization?: string): Request {
  const headers = authorization ? { authorization } : {};
  return {
    method: 'GET',
    path: '/',
    originalUrl: '/admin/queues',
    headers,
    ip: '10.0.0.7',
    id: 'req-1',
  } as unknown as Request;
}

function newResponse() {
  const res = {
    headers: {} as Record<string, string>,
    statusCode: 200,
    body: undefined as unknown,
    headersSent: false,
    setHeader(name: string, value: string) {
      res.headers[name.toLowerCase()] = value;
      return res;
    },
    status(code: number) {
      res.statusCode = code;
      return res;
    },
    json(body: unknown) {
      res.body = body;
      return res;
    },
  };
  return res;
}

describe(AdminBasicAuthMiddleware.name, () => {
  let sut: AdminBasicAuthMiddleware;
  let auth: { verifyCredentials: jest.Mock };
  let throttle: { assertAllowed: jest.Mock; recordFailure: jest.Mock; recordSuccess: jest.Mock };
  let next: jest.Mock;

  const user = (role: UserRole) => ({ id: 'u1', email: 'a@b.c', role }) as UserEntity;

  async function run(authorization?: string) {
    const res = newResponse();
    await sut.use(newRequest(authorization), res as unknown as Response, next as NextFunction);
    return res;
  }

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    auth = { verifyCredentials: unexpected('verifyCredentials') };
    throttle = {
      assertAllowed: unexpected('assertAllowed'),
      recordFailure: unexpected('recordFailure'),
      recordSuccess: unexpected('recordSuccess'),
    };
    next = jest.fn();
    sut = new AdminBasicAuthMiddleware(auth as unknown as AuthService, throttle as unknown as LoginThrottleService);
  });

  afterEach(() => jest.restoreAllMocks());

  it('lets an admin through, clearing the account failure counter', async () => {
    throttle.assertAllowed = jest.fn().mockResolvedValue(undefined);
    throttle.recordSuccess = jest.fn().mockResolvedValue(undefined);
    auth.verifyCredentials = jest.fn().mockResolvedValue(user('admin'));

    const res = await run(basic('Admin@B.c:pa:ss'));

    expect(next).toHaveBeenCalledWith();
    expect(auth.verifyCredentials).toHaveBeenCalledWith('admin@b.c', 'pa:ss');
    expect(throttle.assertAllowed).toHaveBeenCalledWith('admin@b.c', '10.0.0.7');
    expect(throttle.recordSuccess).toHaveBeenCalledWith('admin@b.c', '10.0.0.7');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it.each([undefined, 'Bearer token', 'Basic !!!', basic('no-colon')])(
    'answers %s with 401 and a Basic challenge, without touching the throttle',
    async (header) => {
      const res = await run(header);

      expect(next).not.toHaveBeenCalled();
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe(CHALLENGE);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'UNAUTHORIZED', requestId: 'req-1' });
    },
  );

  it('answers wrong credentials with 401 and counts a login failure', async () => {
    throttle.assertAllowed = jest.fn().mockResolvedValue(undefined);
    throttle.recordFailure = jest.fn().mockResolvedValue(undefined);
    auth.verifyCredentials = jest.fn().mockResolvedValue(null);

    const res = await run(basic('a@b.c:wrong'));

    expect(next).not.toHaveBeenCalled();
    expect(throttle.recordFailure).toHaveBeenCalledWith('a@b.c', '10.0.0.7');
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(CHALLENGE);
  });

  it('answers a valid non-admin with 403 FORBIDDEN', async () => {
    throttle.assertAllowed = jest.fn().mockResolvedValue(undefined);
    throttle.recordSuccess = jest.fn().mockResolvedValue(undefined);
    auth.verifyCredentials = jest.fn().mockResolvedValue(user('user'));

    const res = await run(basic('a@b.c:right'));

    expect(next).not.toHaveBeenCalled();
    expect(res.statusCode).toBe(403);
    expect(res.body).toMatchObject({ statusCode: 403, error: 'FORBIDDEN' });
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('answers 429 with Retry-After while throttled, without checking the password', async () => {
    throttle.assertAllowed = jest.fn().mockRejectedValue(AuthErrors.tooManyFailures(42));

    const res = await run(basic('a@b.c:right'));

    expect(next).not.toHaveBeenCalled();
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('42');
    expect(res.body).toMatchObject({ statusCode: 429, error: 'RATE_LIMITED' });
  });

  it('answers an unexpected failure with a generic 500', async () => {
    throttle.assertAllowed = jest.fn().mockResolvedValue(undefined);
    auth.verifyCredentials = jest.fn().mockRejectedValue(new Error('SQLITE_BUSY: /var/lib/reelsmith.db'));

    const res = await run(basic('a@b.c:pw'));

    expect(next).not.toHaveBeenCalled();
    expect(res.statusCode).toBe(500);
    expect(res.body).toMatchObject({ statusCode: 500, error: 'INTERNAL', message: 'Internal server error' });
    expect(JSON.stringify(res.body)).not.toContain('SQLITE');
  });
});
