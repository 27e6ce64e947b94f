import { Injectable } from '@nestjs/common';
import { AppError } from 'src/common/errors/app-error';
import { MediaProbeError, MediaRepository } from 'src/media/media.repository';
import { AssetMediaFacts, classifyMedia, UnsupportedMediaError } from 'src/modules/assets/asset-classifier';
import { sniffMime } from 'src/modules/assets/magic-bytes';

export const unsupportedMedia = (message: string) => new AppError('UNSUPPORTED_MEDIA_TYPE', message);

/** Decides what a local file really is: magic bytes first, then ffprobe (file protocol only). */
@Injectable()
export class AssetInspector {
  constructor(private readonly media: MediaRepository) {}

  async inspect(path: string, head: Buffer): Promise<AssetMediaFacts> {
    const sniffed = sniffMime(head);
    if (!sniffed) {
      throw unsupportedMedia('The file is not an image, video or audio file Reelsmith can use');
    }
    try {
      return classifyMedia(sniffed, await this.media.probe(path));
    } catch (error) {
      if (error instanceof UnsupportedMediaError || error instanceof MediaProbeError) {
        throw unsupportedMedia(error instanceof UnsupportedMediaError ? error.message : 'The file could not be read');
      }
      throw error;
    }
  }
}
