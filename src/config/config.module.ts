import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { PROCESS_ROLE, ProcessRole } from 'src/config/process-role';

/** Makes the boot-time AppConfig and the process role injectable everywhere. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig, role: ProcessRole): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: PROCESS_ROLE, useValue: role },
      ],
      exports: [AppConfig, PROCESS_ROLE],
    };
  }
}
