import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { buildTitleCardAss } from 'src/media/render/segment-command.builder';
import { RenderTemplate, SceneVisual } from 'src/media/render/render.types';
import { MediaRepository } from 'src/media/media.repository';
import { AssetsRepository } from 'src/modules/assets/assets.repository';
import type { SceneEntity } from 'src/modules/projects/entities/scene.entity';
import { contentHash } from 'src/modules/render/render-plan';
import { TaskFailure } from 'src/modules/tasks/task.errors';
import { ImageGenerator } from 'src/providers/ai/image-generator.provider';
import { StorageDriver } from 'src/storage/storage.driver';

export interface ResolvedVisual {
  visual: SceneVisual;
  /** What the visual's pixels depend on, for the segment's cache key. */
  identity: string;
}

// Calm backgrounds for title cards, cycled by scene.
const TITLE_BACKGROUNDS = ['#1f2a44', '#2d3a2e', '#3b2740', '#1e3b3b', '#40302a', '#26324a'];
const TITLE_MAX_CHARS = 80;

/**
 * The words a title card shows: an image prompt's first clause (its subject; the rest is camera
 * and style talk), cut at a word boundary so it fits the frame above the subtitles.
 */
export function titleCardText(prompt: string): string {
  const clause = prompt.split(/[,，;；]/)[0].trim() || prompt.trim();
  if (clause.length <= TITLE_MAX_CHARS) {
    return clause;
  }
  const cut = clause.slice(0, TITLE_MAX_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > TITLE_MAX_CHARS / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * Finds what a scene shows: its own image or video asset; else an image from the image provider
 * (cached by prompt and size); else a generated title card with the scene's visual prompt.
 */
@Injectable()
export class SceneVisualResolver {
  constructor(
    private readonly assets: AssetsRepository,
    private readonly storage: StorageDriver,
    private readonly media: MediaRepository,
    @Optional() @Inject(ImageGenerator) private readonly images: ImageGenerator | null,
  ) {}

  async resolve(
    scene: SceneEntity,
    template: RenderTemplate,
    dir: string,
    signal?: AbortSignal,
  ): Promise<ResolvedVisual> {
    if (scene.assetId) {
      return this.fromAsset(scene, dir);
    }
    const prompt = (scene.visualPrompt ?? scene.narration).trim();
    if (this.images) {
      return this.generated(prompt, scene.index, template, dir, signal);
    }
    return this.titleCard(prompt, scene.index, template, dir);
  }

  private async fromAsset(scene: SceneEntity, dir: string): Promise<ResolvedVisual> {
    const asset = await this.assets.findById(scene.assetId!);
    if (!asset || (asset.kind !== 'image' && asset.kind !== 'video')) {
      throw TaskFailure.permanent('ASSET_MISSING', `The visual of scene ${scene.index + 1} is no longer available`);
    }
    const path = join(dir, `visual-${scene.index}`);
    await this.storage.copyToFile(asset.storageKey, path);
    const size = { width: asset.width ?? 0, height: asset.height ?? 0 };
    const visual: SceneVisual =
      asset.kind === 'image'
        ? { kind: 'image', path, ...size }
        : { kind: 'video', path, ...size, durationMs: asset.durationMs ?? 0 };
    return { visual, identity: `asset:${asset.id}:${asset.etag}` };
  }

  private async generated(prompt: string, index: number, template: RenderTemplate, dir: string, signal?: AbortSignal) {
    const request = { prompt, width: template.width, height: template.height };
    const key = `images/generated/${contentHash([this.images!.name, request])}`;
    const path = join(dir, `visual-${index}`);
    if (await this.storage.exists(key)) {
      await this.storage.copyToFile(key, path);
    } else {
      const image = await this.images!.generate(request, signal);
      await writeFile(path, image.bytes);
      await this.storage.putFile(key, path, { contentType: `image/${image.format}` });
    }
    const info = await this.media.probe(path, signal);
    const visual: SceneVisual = { kind: 'image', path, width: info.video?.width ?? 0, height: info.video?.height ?? 0 };
    return { visual, identity: key };
  }

  private async titleCard(prompt: string, index: number, template: RenderTemplate, dir: string) {
    const text = titleCardText(prompt);
    const background = TITLE_BACKGROUNDS[index % TITLE_BACKGROUNDS.length];
    const titleAssPath = join(dir, `title-${index}.ass`);
    await writeFile(titleAssPath, buildTitleCardAss(text, template), 'utf8');
    return {
      visual: { kind: 'title-card' as const, text, background, titleAssPath },
      identity: `title:${contentHash([text, background])}`,
    };
  }
}
