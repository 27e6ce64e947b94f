import { Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { ImageGenerator } from 'src/providers/ai/image-generator.provider';
import { OfflineScriptWriter } from 'src/providers/ai/offline-script-writer.provider';
import { OfflineSpeechSynthesizer } from 'src/providers/ai/offline-speech-synthesizer.provider';
import { OpenAiImageGenerator } from 'src/providers/ai/openai/openai-image-generator.provider';
import { OpenAiScriptWriter } from 'src/providers/ai/openai/openai-script-writer.provider';
import { OpenAiSpeechSynthesizer } from 'src/providers/ai/openai/openai-speech-synthesizer.provider';
import { ScriptWriter } from 'src/providers/ai/script-writer.provider';
import { SpeechSynthesizer } from 'src/providers/ai/speech-synthesizer.provider';

const usesOpenAi = (config: AppConfig) => config.ai.provider === 'openai';
const timeouts = (config: AppConfig) => (config.ai.openaiTimeoutMs ? { timeoutMs: config.ai.openaiTimeoutMs } : {});

/**
 * Binds the provider interfaces to the implementations AI_PROVIDER names. Nothing above this
 * module sees a vendor type. Without an image provider, scenes get generated title cards.
 */
@Module({
  providers: [
    {
      provide: ScriptWriter,
      inject: [AppConfig],
      useFactory: (config: AppConfig): ScriptWriter =>
        usesOpenAi(config) ? new OpenAiScriptWriter(config.ai.openai, timeouts(config)) : new OfflineScriptWriter(),
    },
    {
      provide: SpeechSynthesizer,
      inject: [AppConfig],
      useFactory: (config: AppConfig): SpeechSynthesizer =>
        usesOpenAi(config)
          ? new OpenAiSpeechSynthesizer(config.ai.openai, timeouts(config))
          : new OfflineSpeechSynthesizer({ command: 'espeak-ng' }),
    },
    {
      provide: ImageGenerator,
      inject: [AppConfig],
      useFactory: (config: AppConfig): ImageGenerator | null =>
        usesOpenAi(config) ? new OpenAiImageGenerator(config.ai.openai, timeouts(config)) : null,
    },
  ],
  exports: [ScriptWriter, SpeechSynthesizer, ImageGenerator],
})
export class AiProvidersModule {}
