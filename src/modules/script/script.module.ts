import { Module } from '@nestjs/common';
import { ScriptController } from 'src/modules/script/script.controller';
import { ScriptService } from 'src/modules/script/script.service';
import { TasksModule } from 'src/modules/tasks/tasks.module';
import { AiProvidersModule } from 'src/providers/ai/ai-providers.module';

@Module({
  imports: [TasksModule, AiProvidersModule],
  controllers: [ScriptController],
  providers: [ScriptService],
})
export class ScriptModule {}
