import { Body, Controller, Get, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { CacheInterceptor } from '@nestjs/cache-manager';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ErrorResponseDto } from 'src/common/dto/error-response.dto';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { CurrentUser } from 'src/modules/auth/decorators/current-user.decorator';
import { TaskAcceptedDto, TaskDto } from 'src/modules/tasks/dto/task.dto';
import { IdempotencyKey, TaskSubmission, WaitQueryDto } from 'src/modules/tasks/task-submission';
import { SynthesizeVoiceDto, VoiceDto } from 'src/modules/voice/dto/voice.dto';
import { VoiceService } from 'src/modules/voice/voice.service';
import { SpeechSynthesizer } from 'src/providers/ai/speech-synthesizer.provider';

@ApiTags('voice')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorResponseDto })
@Controller()
export class VoiceController {
  constructor(
    private readonly voice: VoiceService,
    private readonly synthesizer: SpeechSynthesizer,
    private readonly submission: TaskSubmission,
  ) {}

  @Post('voice/synthesize')
  @ApiOperation({ operationId: 'synthesizeVoice', summary: 'Speak a text (a task of type voice → an audio asset)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key within 24 h → the same task' })
  @ApiResponse({ status: 202, type: TaskAcceptedDto })
  @ApiResponse({ status: 200, type: TaskDto, description: 'Finished within ?wait=' })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  async synthesize(
    @CurrentUser() user: AuthUser,
    @Body() dto: SynthesizeVoiceDto,
    @Query() query: WaitQueryDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TaskDto> {
    return this.submission.answer(await this.voice.submit(user, dto, idempotencyKey), query.wait, res);
  }

  @Get('voices')
  @UseInterceptors(CacheInterceptor)
  @ApiOperation({ operationId: 'listVoices', summary: 'Voices of the configured speech provider' })
  @ApiResponse({ status: 200, type: [VoiceDto] })
  listVoices(): VoiceDto[] {
    return this.synthesizer.listVoices();
  }
}
