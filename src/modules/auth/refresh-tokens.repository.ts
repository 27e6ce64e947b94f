import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { RefreshTokenEntity } from 'src/modules/auth/entities/refresh-token.entity';

export type NewRefreshToken = Pick<RefreshTokenEntity, 'id' | 'userId' | 'familyId' | 'tokenHash' | 'expiresAt'>;

@Injectable()
export class RefreshTokensRepository {
  constructor(@InjectRepository(RefreshTokenEntity) private readonly tokens: Repository<RefreshTokenEntity>) {}

  async create(token: NewRefreshToken): Promise<void> {
    await this.tokens.insert({ ...token, usedAt: null, revokedAt: null, createdAt: new Date() });
  }

  findById(id: string): Promise<RefreshTokenEntity | null> {
    return this.tokens.findOneBy({ id });
  }

  /** Compare-and-set: true only for the one caller that rotates a still-fresh token. */
  async markUsed(id: string): Promise<boolean> {
    const result = await this.tokens.update({ id, usedAt: IsNull(), revokedAt: IsNull() }, { usedAt: new Date() });
    return (result.affected ?? 0) === 1;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.tokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
