import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppError, FieldError } from 'src/common/errors/app-error';
import type { RenderQuality } from 'src/media/render/render.types';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { AssetsRepository } from 'src/modules/assets/assets.repository';
import { ProjectsService } from 'src/modules/projects/projects.service';
import { CreateVideoDto, ProjectScriptDto, RenderProjectDto } from 'src/modules/render/dto/render.dto';
import { RenderRequest, RenderService } from 'src/modules/render/render.service';
import { ScriptService } from 'src/modules/script/script.service';
import { JsonObject } from 'src/modules/tasks/entities/task.entity';
import { TaskContext, TaskHandlerRegistry } from 'src/modules/tasks/task-handler.registry';
import { TaskFailure } from 'src/modules/tasks/task.errors';
import { CreatedTask, TasksService } from 'src/modules/tasks/tasks.service';
import { VideosService } from 'src/modules/videos/videos.service';
import type { ScriptRequest } from 'src/providers/ai/script-writer.provider';

interface VideoTaskInput extends RenderRequest {
  script: ScriptRequest;
  assetIds: string[];
}

/** The task-creating endpoints of projects and videos, and the `render` and `video` task handlers. */
@Injectable()
export class RenderTasksService implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly handlers: TaskHandlerRegistry,
    private readonly renderer: RenderService,
    private readonly projects: ProjectsService,
    private readonly videos: VideosService,
    private readonly scripts: ScriptService,
    private readonly assets: AssetsRepository,
  ) {}

  onModuleInit(): void {
    this.handlers.register('render', (context) => this.handleRenderTask(context));
    this.handlers.register('video', (context) => this.handleVideoTask(context));
  }

  async submitRender(
    user: AuthUser,
    projectId: string,
    dto: RenderProjectDto,
    idempotencyKey?: string,
  ): Promise<CreatedTask> {
    const project = await this.projects.findOwned(user, projectId);
    const video = await this.videos.createPending(project, dto.quality ?? 'standard');
    const created = await this.tasks.create({
      ownerId: user.id,
      type: 'render',
      input: { projectId, quality: dto.quality ?? 'standard' },
      idempotencyKey,
      callbackUrl: dto.callbackUrl,
      projectId,
      videoId: video.id,
    });
    await this.settleVideo(user, created, video.id);
    return created;
  }

  async submitScript(
    user: AuthUser,
    projectId: string,
    dto: ProjectScriptDto,
    idempotencyKey?: string,
  ): Promise<CreatedTask> {
    const project = await this.projects.findOwned(user, projectId);
    const topic = dto.topic ?? project.topic ?? project.title;
    return this.scripts.submit(user, { ...dto, topic, language: project.language }, idempotencyKey, projectId);
  }

  /** Topic to finished video: the project and video exist up front so the client can show them. */
  async submitVideo(user: AuthUser, dto: CreateVideoDto, idempotencyKey?: string): Promise<CreatedTask> {
    await this.checkVisualAssets(user, dto.assetIds ?? []);
    const script = this.scripts.normalise(dto);
    const { project } = await this.projects.create(user, {
      title: dto.topic.slice(0, 200),
      topic: dto.topic,
      language: script.language,
      templateId: dto.templateId,
      voiceId: dto.voiceId,
      musicAssetId: dto.musicAssetId,
      subtitles: dto.subtitles,
    });
    const quality = dto.quality ?? 'standard';
    const video = await this.videos.createPending(project, quality);
    const created = await this.tasks.create({
      ownerId: user.id,
      type: 'video',
      input: { quality, script: { ...script }, assetIds: dto.assetIds ?? [] },
      idempotencyKey,
      callbackUrl: dto.callbackUrl,
      projectId: project.id,
      videoId: video.id,
    });
    if (created.replayed) {
      await this.projects.delete(user, project.id);
    } else {
      await this.videos.attachTask(video.id, created.task.id);
    }
    return created;
  }

  async handleRenderTask(context: TaskContext): Promise<JsonObject> {
    const request = this.requestOf(context);
    return this.failVideoOnGiveUp(context, request.videoId, () =>
      this.renderer.render(request, context.signal, (f, stage) => context.progress(f * 100, stage)),
    );
  }

  async handleVideoTask(context: TaskContext): Promise<JsonObject> {
    const request = this.requestOf(context);
    const input = context.task.input as unknown as VideoTaskInput;
    return this.failVideoOnGiveUp(context, request.videoId, async () => {
      await context.progress(1, 'script');
      const { result } = await this.scripts.write(input.script, context.signal);
      await this.projects.replaceScenesOf(
        request.projectId,
        result.script.scenes.map((scene, i) => ({
          narration: scene.narration,
          visualPrompt: scene.visualPrompt,
          assetId: input.assetIds[i] ?? null,
        })),
      );
      await context.progress(10, 'script');
      const video = await this.renderer.render(request, context.signal, (f, stage) =>
        context.progress(10 + f * 90, stage),
      );
      return { ...video, projectId: request.projectId, title: result.script.title };
    });
  }

  private requestOf(context: TaskContext): RenderRequest {
    const { projectId, videoId, input } = context.task;
    if (!projectId || !videoId) {
      throw TaskFailure.permanent('BAD_INPUT', 'The task names no project or video');
    }
    return { projectId, videoId, quality: (input.quality as RenderQuality | undefined) ?? 'standard' };
  }

  /** The video row says failed once the task will not try again (permanent error, last attempt, cancel). */
  private async failVideoOnGiveUp(
    context: TaskContext,
    videoId: string,
    work: () => Promise<Record<string, unknown>>,
  ): Promise<JsonObject> {
    try {
      return await work();
    } catch (error) {
      const retryable = (error as { retryable?: unknown }).retryable === true;
      if (context.signal.aborted || !retryable || context.attempt >= context.task.maxAttempts) {
        await this.videos.markFailed(videoId);
      }
      throw error;
    }
  }

  /** A replayed Idempotency-Key returns the first task: the video made for this request goes. */
  private async settleVideo(user: AuthUser, created: CreatedTask, videoId: string): Promise<void> {
    if (created.replayed) {
      await this.videos.delete(user, videoId);
    } else {
      await this.videos.attachTask(videoId, created.task.id);
    }
  }

  private async checkVisualAssets(user: AuthUser, assetIds: string[]): Promise<void> {
    const problems: FieldError[] = [];
    for (const [i, id] of assetIds.entries()) {
      const asset = await this.assets.findById(id.toLowerCase());
      if (!asset || asset.ownerId !== user.id) {
        problems.push({ field: `assetIds.${i}`, message: 'not found' });
      } else if (asset.kind === 'audio') {
        throw AppError.validation([{ field: `assetIds.${i}`, message: 'must be an image or video asset' }]);
      }
    }
    if (problems.length > 0) {
      throw new AppError('NOT_FOUND', 'Asset not found', problems);
    }
  }
}
