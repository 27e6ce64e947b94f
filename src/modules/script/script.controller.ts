import { Body, Controller, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ErrorResponseDto } from 'src/common/dto/error-response.dto';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { CurrentUser } from 'src/modules/auth/decorators/current-user.decorator';
import { CreateScriptDto } from 'src/modules/script/dto/create-script.dto';
import { ScriptService } from 'src/modules/script/script.service';
import { TaskAcceptedDto, TaskDto } from 'src/modules/tasks/dto/task.dto';
import { IdempotencyKey, TaskSubmission, WaitQueryDto } from 'src/modules/tasks/task-submission';

@ApiTags('scripts')
@ApiBearerAuth()
@Controller('scripts')
export class ScriptController {
  constructor(
    private readonly scripts: ScriptService,
    private readonly submission: TaskSubmission,
  ) {}

  @Post()
  @ApiOperation({ operationId: 'createScript', summary: 'Write a script for a topic (a task of type script)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key within 24 h → the same task' })
  @ApiResponse({ status: 202, type: TaskAcceptedDto, description: 'Queued; follow Location' })
  @ApiResponse({ status: 200, type: TaskDto, description: 'Finished within ?wait=' })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  @ApiResponse({ status: 503, type: ErrorResponseDto, description: 'Queue unavailable; the task starts later' })
  async create(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateScriptDto,
    @Query() query: WaitQueryDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TaskDto> {
    return this.submission.answer(await this.scripts.submit(user, dto, idempotencyKey), query.wait, res);
  }
}
