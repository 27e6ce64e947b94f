import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthErrors } from 'src/modules/auth/auth.errors';
import { AuthService } from 'src/modules/auth/auth.service';
import { AuthenticatedRequest } from 'src/modules/auth/decorators/current-user.decorator';
import { IS_PUBLIC } from 'src/modules/auth/decorators/public.decorator';
import { ROLES } from 'src/modules/auth/decorators/roles.decorator';
import { UserRole } from 'src/modules/users/entities/user.entity';

/** Global guard: every route needs a bearer token unless marked @Public(); @Roles() narrows further. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      return true;
    }
    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw AuthErrors.unauthorized();
    }
    request.user = await this.auth.verifyAccessToken(token);
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(request.user.role)) {
      throw AuthErrors.forbidden();
    }
    return true;
  }
}
