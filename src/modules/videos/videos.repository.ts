import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Page } from 'src/common/dto/pagination.dto';
import { VideoEntity } from 'src/modules/videos/entities/video.entity';
import { StoredObject } from 'src/storage/storage.driver';

export type NewPendingVideo = Pick<
  VideoEntity,
  'id' | 'ownerId' | 'projectId' | 'taskId' | 'quality' | 'width' | 'height' | 'fps'
>;

/** What a finished render leaves in storage. */
export interface ReadyVideo {
  file: StoredObject;
  thumbnail: StoredObject | null;
  /** WebVTT; null when the project has subtitles off. */
  subtitles: StoredObject | null;
  durationMs: number;
  /** The frame actually rendered, when it differs from the template's (e.g. a draft). */
  width?: number;
  height?: number;
  fps?: number;
}

export interface VideoListFilter {
  ownerId?: string;
  projectId?: string;
}

const NO_FILES = {
  durationMs: null,
  fileKey: null,
  fileEtag: null,
  fileSizeBytes: null,
  thumbnailKey: null,
  thumbnailEtag: null,
  thumbnailSizeBytes: null,
  subtitlesKey: null,
  subtitlesEtag: null,
  subtitlesSizeBytes: null,
  finishedAt: null,
} as const;

@Injectable()
export class VideosRepository {
  constructor(@InjectRepository(VideoEntity) private readonly videos: Repository<VideoEntity>) {}

  async createPending(video: NewPendingVideo): Promise<VideoEntity> {
    const now = new Date();
    const entity = this.videos.create({ ...video, ...NO_FILES, status: 'pending', createdAt: now, updatedAt: now });
    await this.videos.insert(entity);
    return entity;
  }

  findById(id: string): Promise<VideoEntity | null> {
    return this.videos.findOneBy({ id });
  }

  async list(filter: VideoListFilter, page: number, limit: number): Promise<Page<VideoEntity>> {
    const [items, total] = await this.videos.findAndCount({
      where: {
        ...(filter.ownerId ? { ownerId: filter.ownerId } : {}),
        ...(filter.projectId ? { projectId: filter.projectId } : {}),
      },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    return { items, total, page, limit };
  }

  newestOf(projectId: string): Promise<VideoEntity | null> {
    return this.videos.findOne({ where: { projectId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  async attachTask(id: string, taskId: string): Promise<void> {
    await this.videos.update({ id }, { taskId, updatedAt: new Date() });
  }

  /** Pending → ready; false when the video is gone or no longer pending. */
  async markReady(id: string, ready: ReadyVideo): Promise<boolean> {
    const now = new Date();
    const result = await this.videos.update(
      { id, status: 'pending' },
      {
        status: 'ready',
        durationMs: ready.durationMs,
        fileKey: ready.file.key,
        fileEtag: ready.file.etag,
        fileSizeBytes: ready.file.sizeBytes,
        thumbnailKey: ready.thumbnail?.key ?? null,
        thumbnailEtag: ready.thumbnail?.etag ?? null,
        thumbnailSizeBytes: ready.thumbnail?.sizeBytes ?? null,
        subtitlesKey: ready.subtitles?.key ?? null,
        subtitlesEtag: ready.subtitles?.etag ?? null,
        subtitlesSizeBytes: ready.subtitles?.sizeBytes ?? null,
        ...(ready.width !== undefined && { width: ready.width }),
        ...(ready.height !== undefined && { height: ready.height }),
        ...(ready.fps !== undefined && { fps: ready.fps }),
        finishedAt: now,
        updatedAt: now,
      },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Pending → failed; false when the video is gone or no longer pending. */
  async markFailed(id: string): Promise<boolean> {
    const now = new Date();
    const result = await this.videos.update(
      { id, status: 'pending' },
      { status: 'failed', finishedAt: now, updatedAt: now },
    );
    return (result.affected ?? 0) === 1;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.videos.delete({ id });
    return (result.affected ?? 0) === 1;
  }
}
