import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import type { RenderQuality } from 'src/media/render/render.types';

const QUALITIES: RenderQuality[] = ['draft', 'standard', 'high'];
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

class CallbackDto {
  @ApiPropertyOptional({ description: 'Gets one signed POST when the task finishes' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  callbackUrl?: string;
}

export class RenderProjectDto extends CallbackDto {
  @ApiPropertyOptional({ enum: QUALITIES, default: 'standard' })
  @IsOptional()
  @IsIn(QUALITIES)
  quality?: RenderQuality;
}

export class ProjectScriptDto extends CallbackDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 500, description: "Defaults to the project's topic, then its title" })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  topic?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 20 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  sceneCount?: number;

  @ApiPropertyOptional({ minimum: 5, maximum: 300 })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(300)
  durationSeconds?: number;
}

export class CreateVideoDto extends CallbackDto {
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'How honeybees talk' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  topic!: string;

  @ApiPropertyOptional({ default: 'en' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, { message: 'must be a language code such as en or zh' })
  language?: string;

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

  @ApiPropertyOptional({ minimum: 1, maximum: 20 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  sceneCount?: number;

  @ApiPropertyOptional({ minimum: 5, maximum: 300 })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(300)
  durationSeconds?: number;

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
