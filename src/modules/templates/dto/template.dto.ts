import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDivisibleBy,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { SubtitlePosition, Transition } from 'src/media/render/render.types';
import { ASPECT_RATIOS, AspectRatio, TemplateEntity } from 'src/modules/templates/entities/template.entity';
import { toRenderTemplate } from 'src/modules/templates/render-template';

const POSITIONS: SubtitlePosition[] = ['bottom', 'center', 'top'];
const TRANSITIONS: Transition[] = ['none', 'fade', 'slide'];
const COLOR = /^#[0-9A-Fa-f]{6}$/;
// Lower-case words joined by - _ or .; never UUID-shaped, so a templateId is either an id or a name.
const NAME = /^(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$)[a-z0-9]+(?:[-_.][a-z0-9]+)*$/;
// Reaches ASS styles and ffmpeg filter arguments: no separators or quotes.
const FONT_FAMILY = /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u;

/** Optional, but when present it must be valid (null is not a value here). */
const IsOptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);

const IsFrameSide = () => (target: object, key: string) => {
  IsInt()(target, key);
  Min(144)(target, key);
  Max(4096)(target, key);
  IsDivisibleBy(2, { message: '$property must be an even number' })(target, key);
};

export class SubtitleStyleDto {
  @ApiProperty({ example: 115, description: 'Pixels at the template height' }) fontSize!: number;
  @ApiProperty({ example: '#FFFFFF' }) primaryColor!: string;
  @ApiProperty({ example: '#000000' }) outlineColor!: string;
  @ApiProperty({ enum: POSITIONS }) position!: SubtitlePosition;
}

export class TemplateDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'vertical-default' }) name!: string;
  @ApiProperty({ enum: ASPECT_RATIOS }) aspectRatio!: AspectRatio;
  @ApiProperty({ example: 1080 }) width!: number;
  @ApiProperty({ example: 1920 }) height!: number;
  @ApiProperty({ example: 30 }) fps!: number;
  @ApiProperty({ example: 'Noto Sans CJK SC' }) fontFamily!: string;
  @ApiProperty({ type: SubtitleStyleDto }) subtitleStyle!: SubtitleStyleDto;
  @ApiProperty({ enum: TRANSITIONS }) transition!: Transition;
  @ApiProperty({ example: 300 }) transitionMs!: number;
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.25 }) musicVolume!: number;
  @ApiProperty() kenBurns!: boolean;
  @ApiProperty({ description: 'Seeded at first start; cannot be deleted or renamed' }) builtIn!: boolean;

  static from(template: TemplateEntity): TemplateDto {
    return Object.assign(new TemplateDto(), {
      id: template.id,
      name: template.name,
      aspectRatio: template.aspectRatio,
      ...toRenderTemplate(template),
      builtIn: template.builtIn,
    });
  }
}

export class SubtitleStyleInputDto {
  @ApiPropertyOptional({ minimum: 8, maximum: 512, description: 'Default: 6 % of the height' })
  @IsOptionalNotNull()
  @IsInt()
  @Min(8)
  @Max(512)
  fontSize?: number;

  @ApiPropertyOptional({ example: '#FFFFFF', default: '#FFFFFF' })
  @IsOptionalNotNull()
  @IsString()
  @Matches(COLOR, { message: '$property must be a colour #RRGGBB' })
  primaryColor?: string;

  @ApiPropertyOptional({ example: '#000000', default: '#000000' })
  @IsOptionalNotNull()
  @IsString()
  @Matches(COLOR, { message: '$property must be a colour #RRGGBB' })
  outlineColor?: string;

  @ApiPropertyOptional({ enum: POSITIONS, default: 'bottom' })
  @IsOptionalNotNull()
  @IsIn(POSITIONS)
  position?: SubtitlePosition;
}

export class CreateTemplateDto {
  @ApiProperty({ example: 'vertical-bold', maxLength: 64, description: 'Lower-case words joined by - _ or .' })
  @IsString()
  @MaxLength(64)
  @Matches(NAME, { message: '$property must be lower-case letters and digits joined by - _ or . (not a UUID)' })
  name!: string;

  @ApiPropertyOptional({ enum: ASPECT_RATIOS, description: 'Default: from width and height; must match them' })
  @IsOptionalNotNull()
  @IsIn(ASPECT_RATIOS)
  aspectRatio?: AspectRatio;

  @ApiProperty({ minimum: 144, maximum: 4096, example: 1080, description: 'Even' })
  @IsFrameSide()
  width!: number;

  @ApiProperty({ minimum: 144, maximum: 4096, example: 1920, description: 'Even' })
  @IsFrameSide()
  height!: number;

  @ApiPropertyOptional({ minimum: 15, maximum: 60, default: 30 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(15)
  @Max(60)
  fps?: number;

  @ApiPropertyOptional({ maxLength: 128, default: 'Noto Sans CJK SC' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(128)
  @Matches(FONT_FAMILY, { message: '$property must be letters, digits, spaces, . _ or -' })
  fontFamily?: string;

  @ApiPropertyOptional({ type: SubtitleStyleInputDto, description: 'Missing parts take the defaults' })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => SubtitleStyleInputDto)
  subtitleStyle?: SubtitleStyleInputDto;

  @ApiPropertyOptional({ enum: TRANSITIONS, default: 'fade' })
  @IsOptionalNotNull()
  @IsIn(TRANSITIONS)
  transition?: Transition;

  @ApiPropertyOptional({ minimum: 0, maximum: 2000, default: 300 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(2000)
  transitionMs?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 0.25 })
  @IsOptionalNotNull()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  musicVolume?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptionalNotNull()
  @IsBoolean()
  kenBurns?: boolean;
}

export class UpdateTemplateDto extends PartialType(CreateTemplateDto, { skipNullProperties: false }) {}
