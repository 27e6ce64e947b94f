import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const DEFAULT_SCENE_COUNT = 5;
export const DEFAULT_DURATION_SECONDS = 30;

export class CreateScriptDto {
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'How honeybees talk to each other' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  topic!: string;

  @ApiPropertyOptional({ default: 'en', example: 'zh', description: 'Language code such as en or zh' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, { message: 'must be a language code such as en or zh' })
  language?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 20, default: DEFAULT_SCENE_COUNT })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  sceneCount?: number;

  @ApiPropertyOptional({ minimum: 5, maximum: 300, default: DEFAULT_DURATION_SECONDS })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(300)
  durationSeconds?: number;

  @ApiPropertyOptional({ maxLength: 50, example: 'playful' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(50)
  tone?: string;

  @ApiPropertyOptional({ description: 'Gets one signed POST when the task finishes' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  callbackUrl?: string;
}
