import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageDto } from 'src/common/dto/pagination.dto';
import { ProjectWithScenes } from 'src/modules/projects/projects.repository';
import { SceneEntity } from 'src/modules/projects/entities/scene.entity';

export const MAX_SCENES = 50;
const SOMETHING = /\S/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/** Optional, but when present it must be valid (null is not a value here). */
const IsOptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);

export class SceneInputDto {
  @ApiProperty({ minLength: 1, maxLength: 5000, example: 'Honeybees dance to tell each other where flowers are.' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  @Matches(SOMETHING, { message: '$property must contain something to say' })
  narration!: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000, example: 'A bee dancing on a honeycomb' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  visualPrompt?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'An image or video asset of yours',
  })
  @IsOptional()
  @IsUUID()
  assetId?: string | null;
}

export class CreateProjectDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'How bees talk' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(SOMETHING, { message: '$property must not be blank' })
  title!: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, example: 'the waggle dance of honeybees' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  topic?: string | null;

  @ApiPropertyOptional({ default: 'en', example: 'zh', maxLength: 16, description: 'BCP 47 language tag' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(16)
  @Matches(LANGUAGE, { message: '$property must be a language tag such as en, zh or en-US' })
  language?: string;

  @ApiPropertyOptional({
    description: 'A template id or name (GET /templates); default vertical-default',
    example: 'vertical-default',
  })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(64)
  templateId?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'espeak:en-us',
    description: 'One of GET /voices; null: the provider default for the language',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  voiceId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'An audio asset of yours' })
  @IsOptional()
  @IsUUID()
  musicAssetId?: string | null;

  @ApiPropertyOptional({ default: true, description: 'Burn in subtitles' })
  @IsOptionalNotNull()
  @IsBoolean()
  subtitles?: boolean;

  @ApiPropertyOptional({ type: [SceneInputDto], maxItems: MAX_SCENES })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(MAX_SCENES)
  @ValidateNested({ each: true })
  @Type(() => SceneInputDto)
  scenes?: SceneInputDto[];
}

/** Any field of a new project but the scenes (those go through PUT /projects/:id/scenes). */
export class UpdateProjectDto extends PartialType(OmitType(CreateProjectDto, ['scenes'] as const), {
  skipNullProperties: false,
}) {}

export class ReplaceScenesDto {
  @ApiProperty({ type: [SceneInputDto], maxItems: MAX_SCENES })
  @IsArray()
  @ArrayMaxSize(MAX_SCENES)
  @ValidateNested({ each: true })
  @Type(() => SceneInputDto)
  scenes!: SceneInputDto[];
}

export class UpdateSceneDto extends PartialType(SceneInputDto, { skipNullProperties: false }) {}

export class SceneDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: '0-based position' }) index!: number;
  @ApiProperty() narration!: string;
  @ApiProperty({ type: String, nullable: true }) visualPrompt!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) assetId!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Null until the narration is voiced' })
  durationMs!: number | null;

  static from(scene: SceneEntity): SceneDto {
    return Object.assign(new SceneDto(), {
      id: scene.id,
      index: scene.index,
      narration: scene.narration,
      visualPrompt: scene.visualPrompt,
      assetId: scene.assetId,
      durationMs: scene.durationMs,
    });
  }
}

export class ProjectDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true }) topic!: string | null;
  @ApiProperty({ example: 'en' }) language!: string;
  @ApiProperty({ format: 'uuid' }) templateId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null: the provider default' }) voiceId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) musicAssetId!: string | null;
  @ApiProperty() subtitles!: boolean;
  @ApiProperty({ type: [SceneDto] }) scenes!: SceneDto[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) latestVideoId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from({ project, scenes }: ProjectWithScenes): ProjectDto {
    return Object.assign(new ProjectDto(), {
      id: project.id,
      title: project.title,
      topic: project.topic,
      language: project.language,
      templateId: project.templateId,
      voiceId: project.voiceId,
      musicAssetId: project.musicAssetId,
      subtitles: project.subtitles,
      scenes: scenes.map((scene) => SceneDto.from(scene)),
      latestVideoId: project.latestVideoId,
      createdAt: project.createdAt.toISOString(),
      updatedAt: project.updatedAt.toISOString(),
    });
  }
}

export class ProjectPageDto extends PageDto<ProjectDto> {
  @ApiProperty({ type: [ProjectDto] }) items!: ProjectDto[];
}
