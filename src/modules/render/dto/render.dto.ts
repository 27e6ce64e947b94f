import { ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { RenderQuality } from 'src/media/render/render.types';
import { CreateScriptDto } from 'src/modules/script/dto/create-script.dto';

const QUALITIES: RenderQuality[] = ['draft', 'standard', 'high'];

export class RenderProjectDto extends PickType(CreateScriptDto, ['callbackUrl'] as const) {
  @ApiPropertyOptional({ enum: QUALITIES, default: 'standard' })
  @IsOptional()
  @IsIn(QUALITIES)
  quality?: RenderQuality;
}

/** The script request's own rules; the topic defaults to the project's topic, then its title. */
export class ProjectScriptDto extends PartialType(
  PickType(CreateScriptDto, ['topic', 'sceneCount', 'durationSeconds', 'tone', 'callbackUrl'] as const),
) {}

export class CreateVideoDto extends PickType(CreateScriptDto, [
  'topic',
  'language',
  'sceneCount',
  'durationSeconds',
  'tone',
  'callbackUrl',
] as const) {
  @ApiPropertyOptional({ description: 'Template id (or name); vertical-default when absent' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  templateId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  voiceId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  musicAssetId?: string;

  @ApiPropertyOptional({ type: [String], description: 'Image or video assets, used for scenes in order' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID(undefined, { each: true })
  assetIds?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  subtitles?: boolean;

  @ApiPropertyOptional({ enum: QUALITIES, default: 'standard' })
  @IsOptional()
  @IsIn(QUALITIES)
  quality?: RenderQuality;
}
