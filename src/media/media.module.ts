import { Global, Module } from '@nestjs/common';
import { MediaRepository } from 'src/media/media.repository';

@Global()
@Module({ providers: [MediaRepository], exports: [MediaRepository] })
export class MediaModule {}
