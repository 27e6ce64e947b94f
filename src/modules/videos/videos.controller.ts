import { Controller, Delete, Get, HttpCode, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorResponseDto } from 'src/common/dto/error-response.dto';
import { sendStoredObject } from 'src/common/http/send-stored-object';
import { ParseIdPipe } from 'src/common/pipes/parse-id.pipe';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { CurrentUser } from 'src/modules/auth/decorators/current-user.decorator';
import { ListVideosQueryDto, VideoDto, VideoPageDto } from 'src/modules/videos/dto/video.dto';
import { VideoFileKind, VideosService } from 'src/modules/videos/videos.service';
import { StorageDriver } from 'src/storage/storage.driver';

const VideoId = () => Param('id', new ParseIdPipe('Video'));

@ApiTags('videos')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorResponseDto })
@Controller('videos')
export class VideosController {
  constructor(
    private readonly videos: VideosService,
    private readonly storage: StorageDriver,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'listVideos', summary: 'Your videos (or one project’s), newest first' })
  @ApiResponse({ status: 200, type: VideoPageDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'A project you cannot see' })
  async listVideos(@CurrentUser() user: AuthUser, @Query() query: ListVideosQueryDto): Promise<VideoPageDto> {
    const page = await this.videos.list(user, query.projectId, query.page, query.limit);
    return Object.assign(new VideoPageDto(), { ...page, items: page.items.map((video) => VideoDto.from(video)) });
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getVideo', summary: 'One video' })
  @ApiResponse({ status: 200, type: VideoDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async getVideo(@CurrentUser() user: AuthUser, @VideoId() id: string): Promise<VideoDto> {
    return VideoDto.from(await this.videos.findVisible(user, id));
  }

  @Get(':id/file')
  @ApiOperation({ operationId: 'downloadVideo', summary: 'The MP4; honours Range (206) and ETag' })
  @ApiProduces('video/mp4')
  @ApiResponse({ status: 200, description: 'The whole file' })
  @ApiResponse({ status: 206, description: 'The requested byte range' })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'Unknown, or not ready yet' })
  async downloadVideo(
    @CurrentUser() user: AuthUser,
    @VideoId() id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.send(user, id, 'file', req, res);
  }

  @Get(':id/thumbnail')
  @ApiOperation({ operationId: 'downloadVideoThumbnail', summary: 'A JPEG still of the video' })
  @ApiProduces('image/jpeg')
  @ApiResponse({ status: 200, description: 'The image' })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'Unknown, or not ready yet' })
  async downloadVideoThumbnail(
    @CurrentUser() user: AuthUser,
    @VideoId() id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.send(user, id, 'thumbnail', req, res);
  }

  @Get(':id/subtitles')
  @ApiOperation({ operationId: 'downloadVideoSubtitles', summary: 'The subtitles as WebVTT' })
  @ApiProduces('text/vtt')
  @ApiResponse({ status: 200, description: 'The cues' })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'Unknown, not ready yet, or rendered without' })
  async downloadVideoSubtitles(
    @CurrentUser() user: AuthUser,
    @VideoId() id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.send(user, id, 'subtitles', req, res);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteVideo', summary: 'Delete a video and its files' })
  @ApiResponse({ status: 204 })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async deleteVideo(@CurrentUser() user: AuthUser, @VideoId() id: string): Promise<void> {
    await this.videos.delete(user, id);
  }

  private async send(user: AuthUser, id: string, kind: VideoFileKind, req: Request, res: Response): Promise<void> {
    await sendStoredObject(req, res, this.storage, await this.videos.storedObject(user, id, kind));
  }
}
