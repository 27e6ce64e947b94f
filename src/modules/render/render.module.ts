import { Module } from '@nestjs/common';
import { AssetsModule } from 'src/modules/assets/assets.module';
import { ProjectsModule } from 'src/modules/projects/projects.module';
import { RenderTasksService } from 'src/modules/render/render-tasks.service';
import { RenderController } from 'src/modules/render/render.controller';
import { RenderService } from 'src/modules/render/render.service';
import { SceneVisualResolver } from 'src/modules/render/scene-visual.resolver';
import { ScriptModule } from 'src/modules/script/script.module';
import { TasksModule } from 'src/modules/tasks/tasks.module';
import { VideosModule } from 'src/modules/videos/videos.module';
import { VoiceModule } from 'src/modules/voice/voice.module';
import { AiProvidersModule } from 'src/providers/ai/ai-providers.module';

/** Turns projects into videos: the render pipeline and the tasks that run it. */
@Module({
  imports: [TasksModule, AssetsModule, ProjectsModule, VideosModule, VoiceModule, ScriptModule, AiProvidersModule],
  controllers: [RenderController],
  providers: [RenderService, RenderTasksService, SceneVisualResolver],
})
export class RenderModule {}
