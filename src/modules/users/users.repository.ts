import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isUniqueViolation } from 'src/database/errors';
import { UserEntity, UserRole } from 'src/modules/users/entities/user.entity';

export type NewUser = Pick<UserEntity, 'id' | 'email' | 'passwordHash' | 'displayName' | 'role'>;

@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email: email.toLowerCase() });
  }

  /** Inserts a user; null when the email is taken (decided by the unique index, so race-safe). */
  async create(user: NewUser): Promise<UserEntity | null> {
    const now = new Date();
    const entity = this.users.create({ ...user, email: user.email.toLowerCase(), createdAt: now, updatedAt: now });
    try {
      await this.users.insert(entity);
      return entity;
    } catch (error) {
      if (isUniqueViolation(error)) {
        return null;
      }
      throw error;
    }
  }

  async update(id: string, changes: Partial<Pick<UserEntity, 'passwordHash' | 'role' | 'displayName'>>): Promise<void> {
    await this.users.update({ id }, { ...changes, updatedAt: new Date() });
  }

  async setRole(id: string, role: UserRole): Promise<void> {
    await this.update(id, { role });
  }
}
