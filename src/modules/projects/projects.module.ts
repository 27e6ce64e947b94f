import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssetsModule } from 'src/modules/assets/assets.module';
import { ProjectEntity } from 'src/modules/projects/entities/project.entity';
import { SceneEntity } from 'src/modules/projects/entities/scene.entity';
import { ProjectsController } from 'src/modules/projects/projects.controller';
import { ProjectsRepository } from 'src/modules/projects/projects.repository';
import { ProjectsService } from 'src/modules/projects/projects.service';
import { TaskEntity } from 'src/modules/tasks/entities/task.entity';
import { TasksModule } from 'src/modules/tasks/tasks.module';
import { TemplatesModule } from 'src/modules/templates/templates.module';
import { VideoEntity } from 'src/modules/videos/entities/video.entity';
import { AiProvidersModule } from 'src/providers/ai/ai-providers.module';

@Module({
  imports: [
    TypeOrmModule.forFeature([ProjectEntity, SceneEntity, TaskEntity, VideoEntity]),
    AssetsModule,
    TasksModule,
    TemplatesModule,
    AiProvidersModule,
  ],
  controllers: [ProjectsController],
  providers: [ProjectsRepository, ProjectsService],
  exports: [ProjectsService, ProjectsRepository],
})
export class ProjectsModule {}
