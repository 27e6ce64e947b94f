import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthUser } from 'src/modules/auth/auth.service';

export interface AuthenticatedRequest {
  user?: AuthUser;
}

/** The authenticated caller, set by JwtAuthGuard. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest<AuthenticatedRequest>().user!,
);
