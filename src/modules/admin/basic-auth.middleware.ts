import { Injectable, Logger, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { sendError } from 'src/common/filters/all-exceptions.filter';
import { AdminErrors } from 'src/modules/admin/admin.errors';
import { parseBasicAuthorization } from 'src/modules/admin/basic-credentials.parser';
import { AuthService } from 'src/modules/auth/auth.service';
import { LoginThrottleService } from 'src/modules/auth/login-throttle.service';

/**
 * HTTP Basic in front of the admin pages. Every request verifies the password again (argon2id,
 * ~30 ms and 19 MiB each) and nothing is remembered between requests; failures count against the
 * same per-account and per-IP limits as POST /auth/login, so this cannot be used to guess passwords.
 */
@Injectable()
export class AdminBasicAuthMiddleware implements NestMiddleware<Request, Response> {
  private readonly logger = new Logger('AdminBasicAuth');

  constructor(
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottleService,
  ) {}

  /** Never rejects: every failure is answered here in the contract's error shape. */
  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    try {
      await this.authorize(req);
    } catch (error) {
      sendError(error, req, res, this.logger);
      return;
    }
    next();
  }

  private async authorize(req: Request): Promise<void> {
    const credentials = parseBasicAuthorization(req.headers.authorization);
    if (!credentials) {
      throw AdminErrors.credentialsRequired();
    }
    const { email, password } = credentials;
    const ip = req.ip ?? 'unknown';
    await this.throttle.assertAllowed(email, ip);
    const user = await this.auth.verifyCredentials(email, password);
    if (!user) {
      await this.throttle.recordFailure(email, ip);
      throw AdminErrors.invalidCredentials();
    }
    await this.throttle.recordSuccess(email, ip);
    if (user.role !== 'admin') {
      throw AdminErrors.notAdmin();
    }
  }
}
