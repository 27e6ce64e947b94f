import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageDto, PaginationQueryDto } from 'src/common/dto/pagination.dto';
import type { AssetKind } from 'src/modules/assets/asset-classifier';
import { AssetEntity } from 'src/modules/assets/entities/asset.entity';

const KINDS: AssetKind[] = ['image', 'video', 'audio'];

export class AssetDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: KINDS }) kind!: AssetKind;
  @ApiProperty({ example: 'image/png' }) mimeType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty() originalName!: string;
  @ApiPropertyOptional() width?: number;
  @ApiPropertyOptional() height?: number;
  @ApiPropertyOptional() durationMs?: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(asset: AssetEntity): AssetDto {
    return Object.assign(new AssetDto(), {
      id: asset.id,
      kind: asset.kind,
      mimeType: asset.mimeType,
      sizeBytes: asset.sizeBytes,
      originalName: asset.originalName,
      ...(asset.width !== null && { width: asset.width }),
      ...(asset.height !== null && { height: asset.height }),
      ...(asset.durationMs !== null && { durationMs: asset.durationMs }),
      createdAt: asset.createdAt.toISOString(),
    });
  }
}

export class AssetPageDto extends PageDto<AssetDto> {
  @ApiProperty({ type: [AssetDto] }) items!: AssetDto[];
}

export class ListAssetsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: KINDS })
  @IsOptional()
  @IsIn(KINDS)
  kind?: AssetKind;
}
