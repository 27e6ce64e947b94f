import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isUniqueViolation } from 'src/database/errors';
import { SpeechCacheEntity } from 'src/modules/voice/entities/speech-cache.entity';

@Injectable()
export class SpeechCacheRepository {
  constructor(@InjectRepository(SpeechCacheEntity) private readonly entries: Repository<SpeechCacheEntity>) {}

  find(cacheKey: string): Promise<SpeechCacheEntity | null> {
    return this.entries.findOneBy({ cacheKey });
  }

  /** Records an entry; when a concurrent run recorded the same content first, keeps theirs. */
  async save(entry: Omit<SpeechCacheEntity, 'createdAt'>): Promise<SpeechCacheEntity> {
    const entity = this.entries.create({ ...entry, createdAt: new Date() });
    try {
      await this.entries.insert(entity);
      return entity;
    } catch (error) {
      if (isUniqueViolation(error)) {
        return (await this.find(entry.cacheKey))!;
      }
      throw error;
    }
  }
}
