import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RenderQuality } from 'src/media/render/render.types';

export const VIDEO_STATUSES = ['pending', 'ready', 'failed'] as const;
export type VideoStatus = (typeof VIDEO_STATUSES)[number];

const bigint = {
  to: (value: number | null) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/** One render of a project. Its files are in storage once it is ready. */
@Entity('videos')
export class VideoEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'owner_id', type: 'varchar', length: 36 }) ownerId!: string;
  @Column({ name: 'project_id', type: 'varchar', length: 36 }) projectId!: string;
  @Column({ name: 'task_id', type: 'varchar', length: 36, nullable: true }) taskId!: string | null;
  @Column({ type: 'varchar', length: 16 }) status!: VideoStatus;
  @Column({ type: 'varchar', length: 16 }) quality!: RenderQuality;
  @Column({ type: 'int' }) width!: number;
  @Column({ type: 'int' }) height!: number;
  @Column({ type: 'int' }) fps!: number;
  @Column({ name: 'duration_ms', type: 'int', nullable: true }) durationMs!: number | null;
  @Column({ name: 'file_key', type: 'varchar', length: 255, nullable: true }) fileKey!: string | null;
  @Column({ name: 'file_etag', type: 'varchar', length: 80, nullable: true }) fileEtag!: string | null;
  @Column({ name: 'file_size_bytes', type: 'bigint', nullable: true, transformer: bigint })
  fileSizeBytes!: number | null;
  @Column({ name: 'thumbnail_key', type: 'varchar', length: 255, nullable: true }) thumbnailKey!: string | null;
  @Column({ name: 'thumbnail_etag', type: 'varchar', length: 80, nullable: true }) thumbnailEtag!: string | null;
  @Column({ name: 'thumbnail_size_bytes', type: 'int', nullable: true }) thumbnailSizeBytes!: number | null;
  @Column({ name: 'subtitles_key', type: 'varchar', length: 255, nullable: true }) subtitlesKey!: string | null;
  @Column({ name: 'subtitles_etag', type: 'varchar', length: 80, nullable: true }) subtitlesEtag!: string | null;
  @Column({ name: 'subtitles_size_bytes', type: 'int', nullable: true }) subtitlesSizeBytes!: number | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt!: Date;
  @Column({ name: 'finished_at', type: 'datetime', precision: 3, nullable: true }) finishedAt!: Date | null;
}

/** Every storage key a video row names (for deletion). */
export const videoStorageKeysOf = (video: VideoEntity): string[] =>
  [video.fileKey, video.thumbnailKey, video.subtitlesKey].filter((key): key is string => key !== null);
