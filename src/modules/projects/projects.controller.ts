import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from 'src/common/dto/error-response.dto';
import { PaginationQueryDto } from 'src/common/dto/pagination.dto';
import { ParseIdPipe } from 'src/common/pipes/parse-id.pipe';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { CurrentUser } from 'src/modules/auth/decorators/current-user.decorator';
import {
  CreateProjectDto,
  ProjectDto,
  ProjectPageDto,
  ReplaceScenesDto,
  SceneDto,
  UpdateProjectDto,
  UpdateSceneDto,
} from 'src/modules/projects/dto/project.dto';
import { ProjectsService } from 'src/modules/projects/projects.service';

const ProjectId = () => Param('id', new ParseIdPipe('Project'));
const SceneId = () => Param('sceneId', new ParseIdPipe('Scene'));

@ApiTags('projects')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorResponseDto })
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @ApiOperation({ operationId: 'createProject', summary: 'Start a project, with or without scenes' })
  @ApiResponse({ status: 201, type: ProjectDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'A template or asset you cannot see (in details)' })
  async createProject(@CurrentUser() user: AuthUser, @Body() dto: CreateProjectDto): Promise<ProjectDto> {
    return ProjectDto.from(await this.projects.create(user, dto));
  }

  @Get()
  @ApiOperation({ operationId: 'listProjects', summary: 'Your projects, newest first' })
  @ApiResponse({ status: 200, type: ProjectPageDto })
  async listProjects(@CurrentUser() user: AuthUser, @Query() query: PaginationQueryDto): Promise<ProjectPageDto> {
    const page = await this.projects.list(user, query.page, query.limit);
    return Object.assign(new ProjectPageDto(), { ...page, items: page.items.map((item) => ProjectDto.from(item)) });
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getProject', summary: 'One project with its scenes in order' })
  @ApiResponse({ status: 200, type: ProjectDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async getProject(@CurrentUser() user: AuthUser, @ProjectId() id: string): Promise<ProjectDto> {
    return ProjectDto.from(await this.projects.findVisible(user, id));
  }

  @Patch(':id')
  @ApiOperation({ operationId: 'updateProject', summary: 'Change any field but the scenes' })
  @ApiResponse({ status: 200, type: ProjectDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async updateProject(
    @CurrentUser() user: AuthUser,
    @ProjectId() id: string,
    @Body() dto: UpdateProjectDto,
  ): Promise<ProjectDto> {
    return ProjectDto.from(await this.projects.update(user, id, dto));
  }

  @Put(':id/scenes')
  @ApiOperation({ operationId: 'replaceProjectScenes', summary: 'Replace every scene' })
  @ApiResponse({ status: 200, type: ProjectDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async replaceProjectScenes(
    @CurrentUser() user: AuthUser,
    @ProjectId() id: string,
    @Body() dto: ReplaceScenesDto,
  ): Promise<ProjectDto> {
    return ProjectDto.from(await this.projects.replaceScenes(user, id, dto.scenes));
  }

  @Patch(':id/scenes/:sceneId')
  @ApiOperation({
    operationId: 'updateProjectScene',
    summary: 'Edit one scene (a new narration is voiced again at the next render)',
  })
  @ApiResponse({ status: 200, type: SceneDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async updateProjectScene(
    @CurrentUser() user: AuthUser,
    @ProjectId() id: string,
    @SceneId() sceneId: string,
    @Body() dto: UpdateSceneDto,
  ): Promise<SceneDto> {
    return SceneDto.from(await this.projects.updateScene(user, id, sceneId, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteProject', summary: 'Delete a project with its videos and tasks' })
  @ApiResponse({ status: 204 })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async deleteProject(@CurrentUser() user: AuthUser, @ProjectId() id: string): Promise<void> {
    await this.projects.delete(user, id);
  }
}
