import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageDto, PaginationQueryDto } from 'src/common/dto/pagination.dto';
import type { RenderQuality } from 'src/media/render/render.types';
import { VIDEO_STATUSES, VideoEntity, VideoStatus } from 'src/modules/videos/entities/video.entity';

const QUALITIES: RenderQuality[] = ['draft', 'standard', 'high'];

export class VideoDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty({ enum: VIDEO_STATUSES }) status!: VideoStatus;
  @ApiProperty({ enum: QUALITIES }) quality!: RenderQuality;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The render task' })
  taskId!: string | null;
  @ApiProperty() width!: number;
  @ApiProperty() height!: number;
  @ApiProperty() fps!: number;
  @ApiProperty({ type: Number, nullable: true }) durationMs!: number | null;
  @ApiProperty({ type: Number, nullable: true }) sizeBytes!: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, example: '/api/v1/videos/{id}/file' }) fileUrl!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '/api/v1/videos/{id}/thumbnail' })
  thumbnailUrl!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '/api/v1/videos/{id}/subtitles' })
  subtitlesUrl!: string | null;

  static from(video: VideoEntity): VideoDto {
    const ready = video.status === 'ready';
    const url = (key: string | null, path: string) => (ready && key ? `/api/v1/videos/${video.id}/${path}` : null);
    return Object.assign(new VideoDto(), {
      id: video.id,
      projectId: video.projectId,
      status: video.status,
      quality: video.quality,
      taskId: video.taskId,
      width: video.width,
      height: video.height,
      fps: video.fps,
      durationMs: video.durationMs,
      sizeBytes: video.fileSizeBytes,
      createdAt: video.createdAt.toISOString(),
      fileUrl: url(video.fileKey, 'file'),
      thumbnailUrl: url(video.thumbnailKey, 'thumbnail'),
      subtitlesUrl: url(video.subtitlesKey, 'subtitles'),
    });
  }
}

export class VideoPageDto extends PageDto<VideoDto> {
  @ApiProperty({ type: [VideoDto] }) items!: VideoDto[];
}

export class ListVideosQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the videos of this project' })
  @IsOptional()
  @IsUUID()
  projectId?: string;
}
