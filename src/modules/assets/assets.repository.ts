import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Page } from 'src/common/dto/pagination.dto';
import { AssetKind } from 'src/modules/assets/asset-classifier';
import { AssetEntity } from 'src/modules/assets/entities/asset.entity';

export type NewAsset = Omit<AssetEntity, 'createdAt'>;

@Injectable()
export class AssetsRepository {
  constructor(@InjectRepository(AssetEntity) private readonly assets: Repository<AssetEntity>) {}

  async create(asset: NewAsset): Promise<AssetEntity> {
    const entity = this.assets.create({ ...asset, createdAt: new Date() });
    await this.assets.insert(entity);
    return entity;
  }

  findById(id: string): Promise<AssetEntity | null> {
    return this.assets.findOneBy({ id });
  }

  async list(ownerId: string, kind: AssetKind | undefined, page: number, limit: number): Promise<Page<AssetEntity>> {
    const [items, total] = await this.assets.findAndCount({
      where: { ownerId, ...(kind ? { kind } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    return { items, total, page, limit };
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.assets.delete({ id });
    return (result.affected ?? 0) === 1;
  }
}
