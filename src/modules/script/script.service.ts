import { createHash } from 'node:crypto';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { AppConfig } from 'src/config/app.config';
import { AppError } from 'src/common/errors/app-error';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { ProjectsService } from 'src/modules/projects/projects.service';
import {
  CreateScriptDto,
  DEFAULT_DURATION_SECONDS,
  DEFAULT_SCENE_COUNT,
} from 'src/modules/script/dto/create-script.dto';
import { JsonObject } from 'src/modules/tasks/entities/task.entity';
import { TaskContext, TaskHandlerRegistry } from 'src/modules/tasks/task-handler.registry';
import { CreatedTask, TasksService } from 'src/modules/tasks/tasks.service';
import { ScriptRequest, ScriptResult, ScriptWriter } from 'src/providers/ai/script-writer.provider';

/** Same writer, model and normalised request → same cache entry. */
export function scriptCacheKey(writer: Pick<ScriptWriter, 'name' | 'model'>, request: ScriptRequest): string {
  const fields = [
    writer.name,
    writer.model,
    request.topic,
    request.language,
    request.sceneCount,
    request.durationSeconds,
    request.tone ?? null,
  ];
  return `script:${createHash('sha256').update(JSON.stringify(fields)).digest('hex')}`;
}

/** Script generation as a task: the request is normalised up front, the writer runs in a worker. */
@Injectable()
export class ScriptService implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly handlers: TaskHandlerRegistry,
    private readonly writer: ScriptWriter,
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly config: AppConfig,
    private readonly projects: ProjectsService,
  ) {}

  onModuleInit(): void {
    this.handlers.register('script', (context) => this.handleScriptTask(context));
  }

  async submit(
    user: AuthUser,
    dto: CreateScriptDto,
    idempotencyKey?: string,
    projectId?: string,
  ): Promise<CreatedTask> {
    const request = this.normalise(dto);
    return this.tasks.create({
      ownerId: user.id,
      type: 'script',
      input: { ...request },
      idempotencyKey,
      callbackUrl: dto.callbackUrl,
      projectId,
    });
  }

  async handleScriptTask(context: TaskContext): Promise<JsonObject> {
    await context.progress(5, 'script');
    const { result, cached } = await this.write(context.task.input as unknown as ScriptRequest, context.signal);
    if (context.task.projectId) {
      // POST /projects/:id/script: the new scenes replace the project's.
      const scenes = result.script.scenes.map((scene) => ({
        narration: scene.narration,
        visualPrompt: scene.visualPrompt,
        assetId: null,
      }));
      await this.projects.replaceScenesOf(context.task.projectId, scenes);
    }
    await context.progress(95, 'script');
    return {
      script: result.script,
      usage: result.usage ?? null,
      provider: result.provider,
      model: result.model ?? null,
      cached,
    };
  }

  /** Answers a request the writer already answered from the Redis cache, without a second model call. */
  async write(request: ScriptRequest, signal?: AbortSignal): Promise<{ result: ScriptResult; cached: boolean }> {
    const key = scriptCacheKey(this.writer, request);
    const hit = await this.cache.get<ScriptResult>(key).catch(() => undefined);
    if (hit) {
      return { result: hit, cached: true };
    }
    const result = await this.writer.write(request, signal);
    await this.cache.set(key, result, this.config.redis.cacheTtlMs).catch(() => undefined);
    return { result, cached: false };
  }

  /** Defaults filled in, so equal requests compare equal (idempotency, caching). */
  normalise(dto: CreateScriptDto): ScriptRequest {
    const language = dto.language ?? 'en';
    if (!this.writer.supportsLanguage(language)) {
      throw AppError.validation([
        { field: 'language', message: `is not supported by the ${this.writer.name} script writer` },
      ]);
    }
    return {
      topic: dto.topic.replace(/\s+/g, ' '),
      language,
      sceneCount: dto.sceneCount ?? DEFAULT_SCENE_COUNT,
      durationSeconds: dto.durationSeconds ?? DEFAULT_DURATION_SECONDS,
      ...(dto.tone ? { tone: dto.tone } : {}),
    };
  }
}
