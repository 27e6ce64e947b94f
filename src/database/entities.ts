import { RefreshTokenEntity } from 'src/modules/auth/entities/refresh-token.entity';
import { UserEntity } from 'src/modules/users/entities/user.entity';

/** Every TypeORM entity; the data source and the migration CLI load this list. */
export const entities = [UserEntity, RefreshTokenEntity];
