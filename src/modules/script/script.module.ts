import { Module } from '@nestjs/common';
import { ScriptController } from 'src/modules/script/script.controller';
import { ProjectsModule } from 'src/modules/projects/projects.module';
import { ScriptService } from 'src/modules/script/script.service';
import { TasksModule } from 'src/modules/tasks/tasks.module';
import { AiProvidersModule } from 'src/providers/ai/ai-providers.module';

@Module({
  imports: [TasksModule, AiProvidersModule, ProjectsModule],
  controllers: [ScriptController],
  providers: [ScriptService],
  exports: [ScriptService],
})
export class ScriptModule {}
