import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { AppConfigModule } from 'src/config/config.module';
import { ProcessRole, servesHttp } from 'src/config/process-role';
import { AppCacheModule } from 'src/common/cache/cache.module';
import { LoggingModule } from 'src/common/logging/logging.module';
import { MetricsModule } from 'src/common/metrics/metrics.module';
import { QueueModule } from 'src/common/queue/queue.module';
import { RedisModule } from 'src/common/redis/redis.module';
import { DatabaseModule } from 'src/database/database.module';
import { MediaModule } from 'src/media/media.module';
import { AssetsModule } from 'src/modules/assets/assets.module';
import { StorageModule } from 'src/storage/storage.module';
import { AdminModule } from 'src/modules/admin/admin.module';
import { AuthModule } from 'src/modules/auth/auth.module';
import { HealthModule } from 'src/modules/health/health.module';
import { ProjectAssetUsageModule } from 'src/modules/projects/project-asset-usage';
import { ProjectsModule } from 'src/modules/projects/projects.module';
import { RenderModule } from 'src/modules/render/render.module';
import { ScriptModule } from 'src/modules/script/script.module';
import { TasksModule } from 'src/modules/tasks/tasks.module';
import { TemplatesModule } from 'src/modules/templates/templates.module';
import { VideosModule } from 'src/modules/videos/videos.module';
import { VoiceModule } from 'src/modules/voice/voice.module';

export interface AppModuleOptions {
  config: AppConfig;
  redisUrl: string;
  role: ProcessRole;
}

/** API and worker share every module; they differ only in what is mounted at bootstrap. */
@Module({})
export class AppModule {
  static forRoot({ config, redisUrl, role }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config, role),
        LoggingModule,
        RedisModule.forRoot(redisUrl),
        DatabaseModule,
        QueueModule,
        AppCacheModule,
        MetricsModule,
        StorageModule,
        MediaModule,
        TasksModule,
        AssetsModule,
        ScriptModule,
        VoiceModule,
        RenderModule,
        ProjectAssetUsageModule,
        TemplatesModule,
        ProjectsModule,
        VideosModule,
        ...(servesHttp(role) ? [AuthModule, HealthModule, AdminModule] : []),
      ],
    };
  }
}
