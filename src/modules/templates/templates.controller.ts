import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from 'src/common/dto/error-response.dto';
import { Roles } from 'src/modules/auth/decorators/roles.decorator';
import { CreateTemplateDto, TemplateDto, UpdateTemplateDto } from 'src/modules/templates/dto/template.dto';
import { TemplatesCacheInterceptor } from 'src/modules/templates/templates-cache.interceptor';
import { TemplatesService } from 'src/modules/templates/templates.service';

const TemplateRef = () =>
  ApiParam({ name: 'id', description: 'The template id, or its name', example: 'vertical-default' });

@ApiTags('templates')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorResponseDto })
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @UseInterceptors(TemplatesCacheInterceptor)
  @ApiOperation({ operationId: 'listTemplates', summary: 'Every template, built-ins first' })
  @ApiResponse({ status: 200, type: [TemplateDto] })
  async listTemplates(): Promise<TemplateDto[]> {
    return (await this.templates.list()).map((template) => TemplateDto.from(template));
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ operationId: 'createTemplate', summary: 'Add a template (admins)' })
  @ApiResponse({ status: 201, type: TemplateDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  @ApiResponse({ status: 403, type: ErrorResponseDto })
  @ApiResponse({ status: 409, type: ErrorResponseDto, description: 'The name is taken' })
  async createTemplate(@Body() dto: CreateTemplateDto): Promise<TemplateDto> {
    return TemplateDto.from(await this.templates.create(dto));
  }

  @Patch(':id')
  @Roles('admin')
  @TemplateRef()
  @ApiOperation({ operationId: 'updateTemplate', summary: 'Change a template (admins)' })
  @ApiResponse({ status: 200, type: TemplateDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  @ApiResponse({ status: 403, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  @ApiResponse({ status: 409, type: ErrorResponseDto, description: 'The name is taken, or a built-in was renamed' })
  async updateTemplate(@Param('id') ref: string, @Body() dto: UpdateTemplateDto): Promise<TemplateDto> {
    return TemplateDto.from(await this.templates.update(ref, dto));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @TemplateRef()
  @ApiOperation({ operationId: 'deleteTemplate', summary: 'Delete a template (admins)' })
  @ApiResponse({ status: 204 })
  @ApiResponse({ status: 403, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  @ApiResponse({ status: 409, type: ErrorResponseDto, description: 'Built-in, or used by a project' })
  async deleteTemplate(@Param('id') ref: string): Promise<void> {
    await this.templates.delete(ref);
  }
}
