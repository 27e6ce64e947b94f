import { SetMetadata } from '@nestjs/common';
import { UserRole } from 'src/modules/users/entities/user.entity';

export const ROLES = 'reelsmith:roles';

/** Restricts a route to these roles (checked by the global guard after authentication). */
export const Roles = (...roles: UserRole[]) => SetMetadata(ROLES, roles);
