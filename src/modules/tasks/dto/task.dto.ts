import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageDto, PaginationQueryDto } from 'src/common/dto/pagination.dto';
import { TASK_STATUSES, TASK_TYPES, TaskEntity, TaskStatus, TaskType } from 'src/modules/tasks/entities/task.entity';

export class TaskErrorDto {
  @ApiProperty({ example: 'AI_UNAVAILABLE' }) code!: string;
  @ApiProperty() message!: string;
}

export class TaskDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: TASK_TYPES }) type!: TaskType;
  @ApiProperty({ enum: TASK_STATUSES }) status!: TaskStatus;
  @ApiProperty({ minimum: 0, maximum: 100, description: 'Integer percent, never decreasing within a run' })
  progress!: number;
  @ApiProperty({ type: String, nullable: true, example: 'script' }) stage!: string | null;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) projectId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) videoId!: string | null;
  @ApiProperty({ type: Object, nullable: true }) result!: Record<string, unknown> | null;
  @ApiProperty({ type: TaskErrorDto, nullable: true }) error!: TaskErrorDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(task: TaskEntity): TaskDto {
    return Object.assign(new TaskDto(), {
      id: task.id,
      type: task.type,
      status: task.status,
      progress: task.progress,
      stage: task.stage,
      attempts: task.attempts,
      projectId: task.projectId,
      videoId: task.videoId,
      result: task.result,
      error: task.errorCode ? { code: task.errorCode, message: task.errorMessage ?? '' } : null,
      createdAt: task.createdAt.toISOString(),
      startedAt: task.startedAt?.toISOString() ?? null,
      finishedAt: task.finishedAt?.toISOString() ?? null,
      updatedAt: task.updatedAt.toISOString(),
    });
  }
}

/** The 202 answer to a task-creating POST: the task, plus `taskId` as the contract names it. */
export class TaskAcceptedDto extends TaskDto {
  @ApiProperty({ format: 'uuid' }) taskId!: string;

  static accepted(task: TaskEntity): TaskAcceptedDto {
    return Object.assign(new TaskAcceptedDto(), TaskDto.from(task), { taskId: task.id });
  }
}

export class TaskPageDto extends PageDto<TaskDto> {
  @ApiProperty({ type: [TaskDto] }) items!: TaskDto[];
}

export class ListTasksQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;

  @ApiPropertyOptional({ enum: TASK_TYPES })
  @IsOptional()
  @IsIn(TASK_TYPES)
  type?: TaskType;
}
