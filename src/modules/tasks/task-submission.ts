import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Request, Response } from 'express';
import { AppError } from 'src/common/errors/app-error';
import { TaskAcceptedDto, TaskDto } from 'src/modules/tasks/dto/task.dto';
import { CreatedTask, isTerminal, TasksService } from 'src/modules/tasks/tasks.service';

export const MAX_WAIT_SECONDS = 60;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** `?wait=<seconds>`: the synchronous mode older clients use. */
export class WaitQueryDto {
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_WAIT_SECONDS, description: 'Wait up to this many seconds' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_WAIT_SECONDS)
  wait?: number;
}

/** The `Idempotency-Key` header, checked against the contract's limit. */
export const IdempotencyKey = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined => {
  const value = ctx.switchToHttp().getRequest<Request>().header('idempotency-key');
  if (value === undefined) {
    return undefined;
  }
  const key = value.trim();
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw AppError.validation([
      { field: 'Idempotency-Key', message: `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` },
    ]);
  }
  return key;
});

/** Answers a task-creating POST: 202 + Location at once, or 200 with the finished task when `?wait=` allows. */
@Injectable()
export class TaskSubmission {
  constructor(private readonly tasks: TasksService) {}

  async answer(created: CreatedTask, waitSeconds: number | undefined, res: Response): Promise<TaskDto> {
    let task = created.task;
    if (waitSeconds && !isTerminal(task)) {
      task = await this.tasks.waitForFinish(task.id, waitSeconds * 1000);
    }
    res.setHeader('Location', `/api/v1/tasks/${task.id}`);
    if (created.replayed) {
      res.setHeader('Idempotent-Replayed', 'true');
    }
    if (waitSeconds && isTerminal(task)) {
      res.status(200);
      return TaskDto.from(task);
    }
    res.status(202);
    return TaskAcceptedDto.accepted(task);
  }
}
