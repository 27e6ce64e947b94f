import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorResponseDto } from 'src/common/dto/error-response.dto';
import { sendStoredObject } from 'src/common/http/send-stored-object';
import { ParseIdPipe } from 'src/common/pipes/parse-id.pipe';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { CurrentUser } from 'src/modules/auth/decorators/current-user.decorator';
import { AssetsService } from 'src/modules/assets/assets.service';
import { AssetDto, AssetPageDto, ListAssetsQueryDto } from 'src/modules/assets/dto/asset.dto';
import { StorageDriver } from 'src/storage/storage.driver';

const AssetId = () => Param('id', new ParseIdPipe('Asset'));

@ApiTags('assets')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorResponseDto })
@Controller('assets')
export class AssetsController {
  constructor(
    private readonly assets: AssetsService,
    private readonly storage: StorageDriver,
  ) {}

  @Post()
  @ApiOperation({
    operationId: 'uploadAsset',
    summary: 'Upload an image, video or audio file (multipart field "file")',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiResponse({ status: 201, type: AssetDto })
  @ApiResponse({ status: 413, type: ErrorResponseDto, description: 'Larger than MAX_UPLOAD_BYTES' })
  @ApiResponse({ status: 415, type: ErrorResponseDto, description: 'Not a real image, video or audio file' })
  async upload(@CurrentUser() user: AuthUser, @Req() req: Request): Promise<AssetDto> {
    return AssetDto.from(await this.assets.uploadMultipart(user, req));
  }

  @Get()
  @ApiOperation({ operationId: 'listAssets', summary: 'Your assets, newest first' })
  @ApiResponse({ status: 200, type: AssetPageDto })
  async list(@CurrentUser() user: AuthUser, @Query() query: ListAssetsQueryDto): Promise<AssetPageDto> {
    const page = await this.assets.list(user, query.kind, query.page, query.limit);
    return Object.assign(new AssetPageDto(), { ...page, items: page.items.map((asset) => AssetDto.from(asset)) });
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getAsset', summary: 'One asset' })
  @ApiResponse({ status: 200, type: AssetDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async get(@CurrentUser() user: AuthUser, @AssetId() id: string): Promise<AssetDto> {
    return AssetDto.from(await this.assets.findVisible(user, id));
  }

  @Get(':id/file')
  @ApiOperation({ operationId: 'downloadAsset', summary: 'The file itself; honours Range (206) and ETag' })
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: 'The whole file' })
  @ApiResponse({ status: 206, description: 'The requested byte range' })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async download(
    @CurrentUser() user: AuthUser,
    @AssetId() id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const asset = await this.assets.findVisible(user, id);
    await sendStoredObject(req, res, this.storage, {
      key: asset.storageKey,
      sizeBytes: asset.sizeBytes,
      etag: asset.etag,
      contentType: asset.mimeType,
      fileName: asset.originalName,
    });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteAsset', summary: 'Delete an asset and its file' })
  @ApiResponse({ status: 204 })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  @ApiResponse({ status: 409, type: ErrorResponseDto, description: 'A project still uses it' })
  async delete(@CurrentUser() user: AuthUser, @AssetId() id: string): Promise<void> {
    await this.assets.delete(user, id);
  }
}
