import { Logger, Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { OfflineScriptWriter } from 'src/providers/ai/offline-script-writer.provider';
import { ScriptWriter } from 'src/providers/ai/script-writer.provider';

/** Binds the provider interfaces to the implementations AI_PROVIDER names. */
@Module({
  providers: [
    {
      provide: ScriptWriter,
      inject: [AppConfig],
      useFactory: (config: AppConfig): ScriptWriter => {
        if (config.ai.provider === 'openai') {
          // The OpenAI-compatible writer lands with the AI-providers issue; until then say so loudly.
          new Logger('AiProviders').warn('AI_PROVIDER=openai is not implemented yet; using the offline script writer');
        }
        return new OfflineScriptWriter();
      },
    },
  ],
  exports: [ScriptWriter],
})
export class AiProvidersModule {}
