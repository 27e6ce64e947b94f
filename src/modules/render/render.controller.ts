import { Body, Controller, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ErrorResponseDto } from 'src/common/dto/error-response.dto';
import { ParseIdPipe } from 'src/common/pipes/parse-id.pipe';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { CurrentUser } from 'src/modules/auth/decorators/current-user.decorator';
import { CreateVideoDto, ProjectScriptDto, RenderProjectDto } from 'src/modules/render/dto/render.dto';
import { RenderTasksService } from 'src/modules/render/render-tasks.service';
import { TaskAcceptedDto, TaskDto } from 'src/modules/tasks/dto/task.dto';
import { IdempotencyKey, TaskSubmission, WaitQueryDto } from 'src/modules/tasks/task-submission';

const ProjectId = () => Param('id', new ParseIdPipe('Project'));

/** The task-creating endpoints of projects and videos (their CRUD lives in their own modules). */
@ApiTags('render')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key within 24 h → the same task' })
@ApiResponse({ status: 202, type: TaskAcceptedDto })
@ApiResponse({ status: 400, type: ErrorResponseDto })
@ApiResponse({ status: 401, type: ErrorResponseDto })
@ApiResponse({ status: 404, type: ErrorResponseDto })
@Controller()
export class RenderController {
  constructor(
    private readonly render: RenderTasksService,
    private readonly submission: TaskSubmission,
  ) {}

  @Post('projects/:id/render')
  @ApiOperation({
    operationId: 'renderProject',
    summary: 'Render the project (a task of type render; only what changed is rebuilt)',
  })
  async renderProject(
    @CurrentUser() user: AuthUser,
    @ProjectId() id: string,
    @Body() dto: RenderProjectDto,
    @Query() query: WaitQueryDto,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TaskDto> {
    return this.submission.answer(await this.render.submitRender(user, id, dto, key), query.wait, res);
  }

  @Post('projects/:id/script')
  @ApiOperation({ operationId: 'scriptProject', summary: "Write the project's scenes (a task of type script)" })
  async scriptProject(
    @CurrentUser() user: AuthUser,
    @ProjectId() id: string,
    @Body() dto: ProjectScriptDto,
    @Query() query: WaitQueryDto,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TaskDto> {
    return this.submission.answer(await this.render.submitScript(user, id, dto, key), query.wait, res);
  }

  @Post('videos')
  @ApiOperation({ operationId: 'createVideo', summary: 'Topic to finished video in one call (a task of type video)' })
  async createVideo(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateVideoDto,
    @Query() query: WaitQueryDto,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TaskDto> {
    return this.submission.answer(await this.render.submitVideo(user, dto, key), query.wait, res);
  }
}
