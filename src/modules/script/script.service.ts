import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppError } from 'src/common/errors/app-error';
import type { AuthUser } from 'src/modules/auth/auth.service';
import {
  CreateScriptDto,
  DEFAULT_DURATION_SECONDS,
  DEFAULT_SCENE_COUNT,
} from 'src/modules/script/dto/create-script.dto';
import { JsonObject } from 'src/modules/tasks/entities/task.entity';
import { TaskContext, TaskHandlerRegistry } from 'src/modules/tasks/task-handler.registry';
import { CreatedTask, TasksService } from 'src/modules/tasks/tasks.service';
import { ScriptRequest, ScriptWriter } from 'src/providers/ai/script-writer.provider';

/** Script generation as a task: the request is normalised up front, the writer runs in a worker. */
@Injectable()
export class ScriptService implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly handlers: TaskHandlerRegistry,
    private readonly writer: ScriptWriter,
  ) {}

  onModuleInit(): void {
    this.handlers.register('script', (context) => this.handleScriptTask(context));
  }

  async submit(user: AuthUser, dto: CreateScriptDto, idempotencyKey?: string): Promise<CreatedTask> {
    const request = this.normalise(dto);
    return this.tasks.create({
      ownerId: user.id,
      type: 'script',
      input: { ...request },
      idempotencyKey,
      callbackUrl: dto.callbackUrl,
    });
  }

  async handleScriptTask(context: TaskContext): Promise<JsonObject> {
    await context.progress(5, 'script');
    const { script, usage, provider, model } = await this.writer.write(
      context.task.input as unknown as ScriptRequest,
      context.signal,
    );
    await context.progress(95, 'script');
    return { script, usage: usage ?? null, provider, model: model ?? null };
  }

  /** Defaults filled in, so equal requests compare equal (idempotency, caching). */
  private normalise(dto: CreateScriptDto): ScriptRequest {
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
