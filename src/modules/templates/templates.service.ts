import { randomUUID } from 'node:crypto';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { AppError } from 'src/common/errors/app-error';
import { CreateTemplateDto, UpdateTemplateDto } from 'src/modules/templates/dto/template.dto';
import { AspectRatio, TemplateEntity } from 'src/modules/templates/entities/template.entity';
import { aspectRatioOf, defaultSubtitleStyle, matchesAspectRatio } from 'src/modules/templates/template-geometry';
import { TEMPLATES_CACHE_KEY } from 'src/modules/templates/templates.constants';
import { TemplateErrors } from 'src/modules/templates/templates.errors';
import { TemplateChanges, TemplatesRepository } from 'src/modules/templates/templates.repository';

const MAX_REF_LENGTH = 64;

/** The aspect ratio a frame is given, checked against its width and height. */
function checkFrame(width: number, height: number, declared?: AspectRatio): AspectRatio {
  if (declared) {
    if (!matchesAspectRatio(declared, width, height)) {
      throw AppError.validation([
        { field: 'aspectRatio', message: `does not match width × height (${width}×${height})` },
      ]);
    }
    return declared;
  }
  const derived = aspectRatioOf(width, height);
  if (!derived) {
    const message = 'width × height must make 9:16, 16:9 or 1:1';
    throw AppError.validation([
      { field: 'width', message },
      { field: 'height', message },
    ]);
  }
  return derived;
}

/** The catalogue: everyone reads it (cached), admins change it (and drop the cached answer). */
@Injectable()
export class TemplatesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(TemplatesService.name);

  constructor(
    private readonly templates: TemplatesRepository,
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
  ) {}

  /** Migrations may have changed the catalogue since the answer was cached. */
  async onApplicationBootstrap(): Promise<void> {
    await this.invalidate();
  }

  list(): Promise<TemplateEntity[]> {
    return this.templates.list();
  }

  /** A template by id or name, or null. */
  resolve(ref: string): Promise<TemplateEntity | null> {
    return ref.length > 0 && ref.length <= MAX_REF_LENGTH ? this.templates.findByRef(ref) : Promise.resolve(null);
  }

  async get(ref: string): Promise<TemplateEntity> {
    const template = await this.resolve(ref);
    if (!template) {
      throw TemplateErrors.notFound();
    }
    return template;
  }

  async create(dto: CreateTemplateDto): Promise<TemplateEntity> {
    const aspectRatio = checkFrame(dto.width, dto.height, dto.aspectRatio);
    const subtitles = { ...defaultSubtitleStyle(dto.height), ...dto.subtitleStyle };
    const created = await this.templates.create({
      id: randomUUID(),
      name: dto.name,
      aspectRatio,
      width: dto.width,
      height: dto.height,
      fps: dto.fps ?? 30,
      fontFamily: dto.fontFamily ?? 'Noto Sans CJK SC',
      subtitleFontSize: subtitles.fontSize,
      subtitlePrimaryColor: subtitles.primaryColor.toUpperCase(),
      subtitleOutlineColor: subtitles.outlineColor.toUpperCase(),
      subtitlePosition: subtitles.position,
      transition: dto.transition ?? 'fade',
      transitionMs: dto.transitionMs ?? 300,
      musicVolume: dto.musicVolume ?? 0.25,
      kenBurns: dto.kenBurns ?? true,
    });
    if (!created) {
      throw TemplateErrors.nameTaken(dto.name);
    }
    await this.invalidate();
    return created;
  }

  async update(ref: string, dto: UpdateTemplateDto): Promise<TemplateEntity> {
    const template = await this.get(ref);
    if (template.builtIn && dto.name !== undefined && dto.name !== template.name) {
      throw TemplateErrors.builtInRename();
    }
    const width = dto.width ?? template.width;
    const height = dto.height ?? template.height;
    const changes: TemplateChanges = {
      ...(dto.name !== undefined && { name: dto.name }),
      aspectRatio: checkFrame(width, height, dto.aspectRatio),
      width,
      height,
      ...(dto.fps !== undefined && { fps: dto.fps }),
      ...(dto.fontFamily !== undefined && { fontFamily: dto.fontFamily }),
      ...(dto.subtitleStyle?.fontSize !== undefined && { subtitleFontSize: dto.subtitleStyle.fontSize }),
      ...(dto.subtitleStyle?.primaryColor !== undefined && {
        subtitlePrimaryColor: dto.subtitleStyle.primaryColor.toUpperCase(),
      }),
      ...(dto.subtitleStyle?.outlineColor !== undefined && {
        subtitleOutlineColor: dto.subtitleStyle.outlineColor.toUpperCase(),
      }),
      ...(dto.subtitleStyle?.position !== undefined && { subtitlePosition: dto.subtitleStyle.position }),
      ...(dto.transition !== undefined && { transition: dto.transition }),
      ...(dto.transitionMs !== undefined && { transitionMs: dto.transitionMs }),
      ...(dto.musicVolume !== undefined && { musicVolume: dto.musicVolume }),
      ...(dto.kenBurns !== undefined && { kenBurns: dto.kenBurns }),
    };
    if (!(await this.templates.update(template.id, changes))) {
      throw TemplateErrors.nameTaken(dto.name!);
    }
    await this.invalidate();
    return (await this.templates.findById(template.id))!;
  }

  async delete(ref: string): Promise<void> {
    const template = await this.get(ref);
    if (template.builtIn) {
      throw TemplateErrors.builtInDelete();
    }
    const outcome = await this.templates.delete(template.id);
    if (outcome === 'in-use') {
      throw TemplateErrors.inUse();
    }
    await this.invalidate();
  }

  /** A failed delete leaves a stale list for at most the cache TTL; the write itself stands. */
  private async invalidate(): Promise<void> {
    try {
      await this.cache.del(TEMPLATES_CACHE_KEY);
    } catch (error) {
      this.logger.warn(`Could not drop the cached template list: ${(error as Error).message}`);
    }
  }
}
