import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssetsModule } from 'src/modules/assets/assets.module';
import { TasksModule } from 'src/modules/tasks/tasks.module';
import { SpeechCacheEntity } from 'src/modules/voice/entities/speech-cache.entity';
import { SpeechCacheRepository } from 'src/modules/voice/speech-cache.repository';
import { SpeechService } from 'src/modules/voice/speech.service';
import { VoiceController } from 'src/modules/voice/voice.controller';
import { VoiceService } from 'src/modules/voice/voice.service';
import { AiProvidersModule } from 'src/providers/ai/ai-providers.module';

@Module({
  imports: [TypeOrmModule.forFeature([SpeechCacheEntity]), TasksModule, AssetsModule, AiProvidersModule],
  controllers: [VoiceController],
  providers: [SpeechCacheRepository, SpeechService, VoiceService],
  exports: [SpeechService],
})
export class VoiceModule {}
