import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProjectsModule } from 'src/modules/projects/projects.module';
import { TemplatesModule } from 'src/modules/templates/templates.module';
import { VideoEntity } from 'src/modules/videos/entities/video.entity';
import { VideosController } from 'src/modules/videos/videos.controller';
import { VideosRepository } from 'src/modules/videos/videos.repository';
import { VideosService } from 'src/modules/videos/videos.service';

@Module({
  imports: [TypeOrmModule.forFeature([VideoEntity]), ProjectsModule, TemplatesModule],
  controllers: [VideosController],
  providers: [VideosRepository, VideosService],
  exports: [VideosService, VideosRepository],
})
export class VideosModule {}
