import { All, Controller, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { TusUploadsService } from 'src/modules/assets/tus-uploads.service';

/** The tus endpoints are handled by @tus/server; Nest only authenticates the caller first. */
@ApiTags('assets')
@ApiBearerAuth()
@Controller('uploads')
export class TusUploadsController {
  constructor(private readonly tus: TusUploadsService) {}

  @All()
  @ApiOperation({
    operationId: 'tusUploads',
    summary: 'tus 1.0.0 resumable upload: POST creates (Upload-Length, Upload-Metadata filename)',
  })
  async collection(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.tus.handle(req, res);
  }

  @All('*path')
  @ApiExcludeEndpoint()
  async upload(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.tus.handle(req, res);
  }
}
