import { ApiProperty } from '@nestjs/swagger';
import { UserEntity, UserRole } from 'src/modules/users/entities/user.entity';

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'email' }) email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ['user', 'admin'] }) role!: UserRole;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(user: UserEntity): UserDto {
    return Object.assign(new UserDto(), {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      createdAt: user.createdAt.toISOString(),
    });
  }
}
