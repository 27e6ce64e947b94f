import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppError, FieldError } from 'src/common/errors/app-error';
import { Page } from 'src/common/dto/pagination.dto';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { AssetKind } from 'src/modules/assets/asset-classifier';
import { AssetsRepository } from 'src/modules/assets/assets.repository';
import {
  CreateProjectDto,
  SceneInputDto,
  UpdateProjectDto,
  UpdateSceneDto,
} from 'src/modules/projects/dto/project.dto';
import { ProjectEntity } from 'src/modules/projects/entities/project.entity';
import { SceneEntity } from 'src/modules/projects/entities/scene.entity';
import { ProjectErrors } from 'src/modules/projects/projects.errors';
import {
  ProjectChanges,
  ProjectsRepository,
  ProjectWithScenes,
  SceneInput,
} from 'src/modules/projects/projects.repository';
import { TemplateEntity } from 'src/modules/templates/entities/template.entity';
import { DEFAULT_TEMPLATE_ID } from 'src/modules/templates/templates.constants';
import { TemplatesService } from 'src/modules/templates/templates.service';
import { TasksService } from 'src/modules/tasks/tasks.service';
import { SpeechSynthesizer } from 'src/providers/ai/speech-synthesizer.provider';
import { StorageDriver } from 'src/storage/storage.driver';
import { segmentObjectKeys } from 'src/modules/projects/segment-storage';

/** Everything a render needs to know about a project. */
export interface RenderableProject extends ProjectWithScenes {
  template: TemplateEntity;
}

/** The references a write names; each is checked only when present. */
interface References {
  templateRef?: string;
  voiceId?: string | null;
  musicAssetId?: string | null;
  /** Scene asset ids by the field that names them, e.g. `scenes.2.assetId`. */
  sceneAssets?: [field: string, assetId: string][];
}

const VISUAL_KINDS: AssetKind[] = ['image', 'video'];

// Ids are stored in lower case (IsUUID accepts either), so that SQLite compares them like MySQL.
const lowerId = (id: string | null | undefined) => (id ? id.toLowerCase() : null);

const toSceneInput = (scene: SceneInputDto): SceneInput => ({
  narration: scene.narration,
  visualPrompt: scene.visualPrompt ?? null,
  assetId: lowerId(scene.assetId),
});

const sceneAssetRefs = (scenes: SceneInputDto[]): [string, string][] =>
  scenes.flatMap((scene, index): [string, string][] =>
    scene.assetId ? [[`scenes.${index}.assetId`, scene.assetId]] : [],
  );

@Injectable()
export class ProjectsService {
  private readonly logger = new Logger(ProjectsService.name);

  constructor(
    private readonly projects: ProjectsRepository,
    private readonly templates: TemplatesService,
    private readonly assets: AssetsRepository,
    private readonly synthesizer: SpeechSynthesizer,
    private readonly tasks: TasksService,
    private readonly storage: StorageDriver,
  ) {}

  async create(user: AuthUser, dto: CreateProjectDto): Promise<ProjectWithScenes> {
    const scenes = dto.scenes ?? [];
    const template = await this.checkReferences(user.id, {
      templateRef: dto.templateId ?? DEFAULT_TEMPLATE_ID,
      voiceId: dto.voiceId,
      musicAssetId: dto.musicAssetId,
      sceneAssets: sceneAssetRefs(scenes),
    });
    return this.projects.create(
      {
        id: randomUUID(),
        ownerId: user.id,
        title: dto.title,
        topic: dto.topic ?? null,
        language: dto.language ?? 'en',
        templateId: template!.id,
        voiceId: dto.voiceId ?? null,
        musicAssetId: lowerId(dto.musicAssetId),
        subtitles: dto.subtitles ?? true,
      },
      scenes.map(toSceneInput),
    );
  }

  list(user: AuthUser, page: number, limit: number): Promise<Page<ProjectWithScenes>> {
    return this.projects.listByOwner(user.id, page, limit);
  }

  /** The owner's project, or any project for an admin (reading only). */
  async findVisible(user: AuthUser, id: string): Promise<ProjectWithScenes> {
    const found = await this.projects.findWithScenes(id);
    if (!found || (found.project.ownerId !== user.id && user.role !== 'admin')) {
      throw ProjectErrors.notFound();
    }
    return found;
  }

  async update(user: AuthUser, id: string, dto: UpdateProjectDto): Promise<ProjectWithScenes> {
    const project = await this.findOwned(user, id);
    const template = await this.checkReferences(user.id, {
      templateRef: dto.templateId,
      voiceId: dto.voiceId,
      musicAssetId: dto.musicAssetId,
    });
    const changes: ProjectChanges = {
      ...(dto.title !== undefined && { title: dto.title }),
      ...(dto.topic !== undefined && { topic: dto.topic }),
      ...(dto.language !== undefined && { language: dto.language }),
      ...(template && { templateId: template.id }),
      ...(dto.voiceId !== undefined && { voiceId: dto.voiceId }),
      ...(dto.musicAssetId !== undefined && { musicAssetId: lowerId(dto.musicAssetId) }),
      ...(dto.subtitles !== undefined && { subtitles: dto.subtitles }),
    };
    await this.projects.update(project.id, changes);
    return (await this.projects.findWithScenes(project.id))!;
  }

  async replaceScenes(user: AuthUser, id: string, scenes: SceneInputDto[]): Promise<ProjectWithScenes> {
    const project = await this.findOwned(user, id);
    await this.checkReferences(user.id, { sceneAssets: sceneAssetRefs(scenes) });
    await this.replaceScenesOf(project.id, scenes.map(toSceneInput));
    return (await this.projects.findWithScenes(project.id))!;
  }

  async updateScene(user: AuthUser, id: string, sceneId: string, dto: UpdateSceneDto): Promise<SceneEntity> {
    const project = await this.findOwned(user, id);
    const scene = await this.projects.findScene(project.id, sceneId);
    if (!scene) {
      throw ProjectErrors.sceneNotFound();
    }
    if (dto.assetId) {
      await this.checkReferences(user.id, { sceneAssets: [['assetId', dto.assetId]] });
    }
    return this.projects.updateScene(scene, {
      ...(dto.narration !== undefined && { narration: dto.narration }),
      ...(dto.visualPrompt !== undefined && { visualPrompt: dto.visualPrompt }),
      ...(dto.assetId !== undefined && { assetId: lowerId(dto.assetId) }),
    });
  }

  /** Deletes the project with its videos (and their files) and tasks; running tasks are cancelled first. */
  async delete(user: AuthUser, id: string): Promise<void> {
    const project = await this.findOwned(user, id);
    for (const taskId of await this.projects.findUnfinishedTaskIds(project.id)) {
      // It may have finished meanwhile (409), or the queue may be away; the row goes either way.
      await this.tasks.cancel(user, taskId).catch((error: Error) => {
        this.logger.debug(`Task ${taskId} of deleted project ${project.id} not cancelled: ${error.message}`);
      });
    }
    await this.deleteObjects(await this.projects.deleteWithDependents(project.id));
  }

  /** For scripts and renders (no caller to check): replaces the scenes and frees the old segments. */
  async replaceScenesOf(projectId: string, scenes: SceneInput[]): Promise<SceneEntity[]> {
    const { scenes: created, removed } = await this.projects.replaceScenes(projectId, scenes);
    await this.deleteObjects(
      removed.flatMap((scene) => (scene.segmentKey === null ? [] : segmentObjectKeys(scene.segmentKey))),
    );
    return created;
  }

  /** The project, its scenes in order and its template; null when the project is gone. */
  async loadForRender(projectId: string): Promise<RenderableProject | null> {
    const found = await this.projects.findWithScenes(projectId);
    if (!found) {
      return null;
    }
    const template = await this.templates.resolve(found.project.templateId);
    return { ...found, template: template! };
  }

  setLatestVideo(projectId: string, videoId: string | null): Promise<void> {
    return this.projects.setLatestVideo(projectId, videoId);
  }

  /** The caller's own project (404 otherwise, also for admins: changes are for owners). */
  async findOwned(user: AuthUser, id: string): Promise<ProjectEntity> {
    const project = await this.projects.findById(id);
    if (!project || project.ownerId !== user.id) {
      throw ProjectErrors.notFound();
    }
    return project;
  }

  /**
   * Checks what a write refers to: a template anyone can see, the owner's own assets of the right
   * kind, a voice the provider has. Unseen references are 404 naming their fields; the rest 400.
   * Returns the template when one was named.
   */
  private async checkReferences(ownerId: string, refs: References): Promise<TemplateEntity | undefined> {
    const missing: FieldError[] = [];
    const invalid: FieldError[] = [];
    let template: TemplateEntity | undefined;
    if (refs.templateRef !== undefined) {
      template = (await this.templates.resolve(refs.templateRef)) ?? undefined;
      if (!template) {
        missing.push({ field: 'templateId', message: 'names no template (see GET /templates)' });
      }
    }
    if (refs.voiceId && !this.synthesizer.listVoices().some((voice) => voice.id === refs.voiceId)) {
      invalid.push({ field: 'voiceId', message: 'must be one of the voices listed by GET /voices' });
    }
    const wanted: [string, string, AssetKind[]][] = [
      ...(refs.musicAssetId ? [['musicAssetId', refs.musicAssetId, ['audio']] as [string, string, AssetKind[]]] : []),
      ...(refs.sceneAssets ?? []).map(([field, id]): [string, string, AssetKind[]] => [field, id, VISUAL_KINDS]),
    ];
    const assets = await Promise.all(wanted.map(([, id]) => this.assets.findById(id.toLowerCase())));
    wanted.forEach(([field, , kinds], i) => {
      const asset = assets[i];
      if (!asset || asset.ownerId !== ownerId) {
        missing.push({ field, message: 'names no asset of yours' });
      } else if (!kinds.includes(asset.kind)) {
        invalid.push({ field, message: `must be ${kinds.join(' or ')} (this asset is ${asset.kind})` });
      }
    });
    if (missing.length > 0) {
      throw ProjectErrors.referencesNotFound(missing);
    }
    if (invalid.length > 0) {
      throw AppError.validation(
        invalid,
        invalid.length === 1 ? `${invalid[0].field} ${invalid[0].message}` : undefined,
      );
    }
    return template;
  }

  /** Best effort: the rows are gone already, and a leftover object is only wasted space. */
  private async deleteObjects(keys: string[]): Promise<void> {
    const unique = [...new Set(keys)];
    const results = await Promise.allSettled(unique.map((key) => this.storage.delete(key)));
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        this.logger.warn(`Could not delete stored object ${unique[i]}: ${(result.reason as Error).message}`);
      }
    });
  }
}
