import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssetInspector } from 'src/modules/assets/asset.inspector';
import { AssetsController } from 'src/modules/assets/assets.controller';
import { AssetsRepository } from 'src/modules/assets/assets.repository';
import { AssetsService } from 'src/modules/assets/assets.service';
import { AssetEntity } from 'src/modules/assets/entities/asset.entity';
import { TusUploadsController } from 'src/modules/assets/tus-uploads.controller';
import { TusUploadsService } from 'src/modules/assets/tus-uploads.service';

@Module({
  imports: [TypeOrmModule.forFeature([AssetEntity])],
  controllers: [AssetsController, TusUploadsController],
  providers: [AssetsRepository, AssetsService, AssetInspector, TusUploadsService],
  exports: [AssetsService, AssetsRepository],
})
export class AssetsModule {}
