import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Page } from 'src/common/dto/pagination.dto';
import type { ObjectToSend } from 'src/common/http/send-stored-object';
import type { RenderQuality } from 'src/media/render/render.types';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { ProjectEntity } from 'src/modules/projects/entities/project.entity';
import { ProjectsRepository } from 'src/modules/projects/projects.repository';
import { ProjectsService } from 'src/modules/projects/projects.service';
import { TemplatesRepository } from 'src/modules/templates/templates.repository';
import { VideoEntity, videoStorageKeysOf } from 'src/modules/videos/entities/video.entity';
import { VideoErrors } from 'src/modules/videos/videos.errors';
import { ReadyVideo, VideosRepository } from 'src/modules/videos/videos.repository';
import { StorageDriver } from 'src/storage/storage.driver';

export type VideoFileKind = 'file' | 'thumbnail' | 'subtitles';

const CONTENT_TYPES: Record<VideoFileKind, string> = {
  file: 'video/mp4',
  thumbnail: 'image/jpeg',
  subtitles: 'text/vtt; charset=utf-8',
};
const EXTENSIONS: Record<VideoFileKind, string> = { file: 'mp4', thumbnail: 'jpg', subtitles: 'vtt' };

@Injectable()
export class VideosService {
  private readonly logger = new Logger(VideosService.name);

  constructor(
    private readonly videos: VideosRepository,
    private readonly projects: ProjectsService,
    private readonly projectRows: ProjectsRepository,
    private readonly templates: TemplatesRepository,
    private readonly storage: StorageDriver,
  ) {}

  /** A new render's row, framed by the project's template; ready or failed later. */
  async createPending(
    project: ProjectEntity,
    quality: RenderQuality,
    taskId: string | null = null,
  ): Promise<VideoEntity> {
    const template = await this.templates.findById(project.templateId);
    if (!template) {
      throw new Error(`Template ${project.templateId} of project ${project.id} is missing`);
    }
    return this.videos.createPending({
      id: randomUUID(),
      ownerId: project.ownerId,
      projectId: project.id,
      taskId,
      quality,
      width: template.width,
      height: template.height,
      fps: template.fps,
    });
  }

  attachTask(videoId: string, taskId: string): Promise<void> {
    return this.videos.attachTask(videoId, taskId);
  }

  /**
   * Records a finished render. Null when the video was deleted (or finished) meanwhile: the caller
   * then deletes the objects it stored.
   */
  async markReady(id: string, ready: ReadyVideo): Promise<VideoEntity | null> {
    return (await this.videos.markReady(id, ready)) ? this.videos.findById(id) : null;
  }

  markFailed(id: string): Promise<boolean> {
    return this.videos.markFailed(id);
  }

  findById(id: string): Promise<VideoEntity | null> {
    return this.videos.findById(id);
  }

  async findVisible(user: AuthUser, id: string): Promise<VideoEntity> {
    const video = await this.videos.findById(id);
    if (!video || (video.ownerId !== user.id && user.role !== 'admin')) {
      throw VideoErrors.notFound();
    }
    return video;
  }

  /** Your videos, or those of one project you can see (404 for any other project). */
  async list(user: AuthUser, projectId: string | undefined, page: number, limit: number): Promise<Page<VideoEntity>> {
    if (projectId) {
      const { project } = await this.projects.findVisible(user, projectId.toLowerCase());
      return this.videos.list({ projectId: project.id }, page, limit);
    }
    return this.videos.list({ ownerId: user.id }, page, limit);
  }

  /** One of a ready video's files, as sendStoredObject wants it; 404 until it exists. */
  async storedObject(user: AuthUser, id: string, kind: VideoFileKind): Promise<ObjectToSend> {
    const video = await this.findVisible(user, id);
    const object = {
      file: { key: video.fileKey, etag: video.fileEtag, sizeBytes: video.fileSizeBytes },
      thumbnail: { key: video.thumbnailKey, etag: video.thumbnailEtag, sizeBytes: video.thumbnailSizeBytes },
      subtitles: { key: video.subtitlesKey, etag: video.subtitlesEtag, sizeBytes: video.subtitlesSizeBytes },
    }[kind];
    if (video.status !== 'ready' || !object.key || object.etag === null || object.sizeBytes === null) {
      throw VideoErrors.fileNotReady(kind);
    }
    return {
      key: object.key,
      etag: object.etag,
      sizeBytes: object.sizeBytes,
      contentType: CONTENT_TYPES[kind],
      fileName: `video-${video.id.slice(0, 8)}.${EXTENSIONS[kind]}`,
    };
  }

  /** Deletes the video and its files; the project's latestVideoId falls back to its newest other video. */
  async delete(user: AuthUser, id: string): Promise<void> {
    const video = await this.videos.findById(id);
    if (!video || video.ownerId !== user.id) {
      throw VideoErrors.notFound();
    }
    if (!(await this.videos.delete(id))) {
      return;
    }
    const newest = await this.videos.newestOf(video.projectId);
    await this.projectRows.replaceLatestVideo(video.projectId, video.id, newest?.id ?? null);
    const results = await Promise.allSettled(videoStorageKeysOf(video).map((key) => this.storage.delete(key)));
    for (const result of results) {
      if (result.status === 'rejected') {
        this.logger.warn(`A file of deleted video ${id} stayed in storage: ${(result.reason as Error).message}`);
      }
    }
  }
}
