import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorResponseDto } from 'src/common/dto/error-response.dto';
import { ParseIdPipe } from 'src/common/pipes/parse-id.pipe';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { CurrentUser } from 'src/modules/auth/decorators/current-user.decorator';
import { ListTasksQueryDto, TaskDto, TaskPageDto } from 'src/modules/tasks/dto/task.dto';
import { TaskEventStream } from 'src/modules/tasks/task-event.stream';
import { TasksService } from 'src/modules/tasks/tasks.service';

const TaskId = () => Param('id', new ParseIdPipe('Task'));

@ApiTags('tasks')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorResponseDto })
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly stream: TaskEventStream,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'listTasks', summary: 'Your tasks, newest first' })
  @ApiResponse({ status: 200, type: TaskPageDto })
  async list(@CurrentUser() user: AuthUser, @Query() query: ListTasksQueryDto): Promise<TaskPageDto> {
    const page = await this.tasks.list(user, query);
    return Object.assign(new TaskPageDto(), { ...page, items: page.items.map((task) => TaskDto.from(task)) });
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getTask', summary: 'One task' })
  @ApiResponse({ status: 200, type: TaskDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async get(@CurrentUser() user: AuthUser, @TaskId() id: string): Promise<TaskDto> {
    return TaskDto.from(await this.tasks.findVisible(user, id));
  }

  @Get(':id/events')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    operationId: 'streamTaskEvents',
    summary: 'Live events: progress {progress, stage}, then completed {result} | failed {error} | cancelled {}',
  })
  @ApiResponse({ status: 200, description: 'An event stream that ends after the terminal event' })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async events(
    @CurrentUser() user: AuthUser,
    @TaskId() id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.stream.open(await this.tasks.findVisible(user, id), req, res);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ operationId: 'cancelTask', summary: 'Cancel a queued or running task' })
  @ApiResponse({ status: 200, type: TaskDto })
  @ApiResponse({ status: 409, type: ErrorResponseDto, description: 'Already finished' })
  async cancel(@CurrentUser() user: AuthUser, @TaskId() id: string): Promise<TaskDto> {
    return TaskDto.from(await this.tasks.cancel(user, id));
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({ operationId: 'retryTask', summary: 'Queue a failed or cancelled task again' })
  @ApiResponse({ status: 202, type: TaskDto })
  @ApiResponse({ status: 409, type: ErrorResponseDto, description: 'Not failed or cancelled' })
  async retry(
    @CurrentUser() user: AuthUser,
    @TaskId() id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TaskDto> {
    const task = await this.tasks.retry(user, id);
    res.setHeader('Location', `/api/v1/tasks/${task.id}`);
    return TaskDto.from(task);
  }
}
