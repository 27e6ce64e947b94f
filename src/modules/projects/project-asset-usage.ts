import { Global, Injectable, Module } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AssetUsage } from 'src/modules/assets/assets.service';
import { ProjectEntity } from 'src/modules/projects/entities/project.entity';
import { SceneEntity } from 'src/modules/projects/entities/scene.entity';

/** An asset is in use while a project's music or any scene names it. */
@Injectable()
export class ProjectAssetUsage extends AssetUsage {
  constructor(
    @InjectRepository(ProjectEntity) private readonly projects: Repository<ProjectEntity>,
    @InjectRepository(SceneEntity) private readonly scenes: Repository<SceneEntity>,
  ) {
    super();
  }

  async isInUse(assetId: string): Promise<boolean> {
    return (
      (await this.projects.existsBy({ musicAssetId: assetId })) || (await this.scenes.existsBy({ assetId: assetId }))
    );
  }
}

/**
 * Binds AssetUsage for the assets module, which cannot import the projects module (projects
 * imports assets). Global so that AssetsService finds it without an import cycle.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ProjectEntity, SceneEntity])],
  providers: [{ provide: AssetUsage, useClass: ProjectAssetUsage }],
  exports: [AssetUsage],
})
export class ProjectAssetUsageModule {}
