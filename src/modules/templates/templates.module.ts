import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TemplateEntity } from 'src/modules/templates/entities/template.entity';
import { TemplatesController } from 'src/modules/templates/templates.controller';
import { TemplatesRepository } from 'src/modules/templates/templates.repository';
import { TemplatesService } from 'src/modules/templates/templates.service';

@Module({
  imports: [TypeOrmModule.forFeature([TemplateEntity])],
  controllers: [TemplatesController],
  providers: [TemplatesRepository, TemplatesService],
  exports: [TemplatesService, TemplatesRepository],
})
export class TemplatesModule {}
