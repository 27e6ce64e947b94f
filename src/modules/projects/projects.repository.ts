import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Page } from 'src/common/dto/pagination.dto';
import { ProjectEntity } from 'src/modules/projects/entities/project.entity';
import { SceneEntity, SceneSentence } from 'src/modules/projects/entities/scene.entity';
import { TaskEntity } from 'src/modules/tasks/entities/task.entity';
import { VideoEntity, videoStorageKeysOf } from 'src/modules/videos/entities/video.entity';
import { segmentObjectKeys } from 'src/modules/projects/segment-storage';

export interface ProjectWithScenes {
  project: ProjectEntity;
  /** In order of `index`. */
  scenes: SceneEntity[];
}

export type NewProject = Omit<ProjectEntity, 'createdAt' | 'updatedAt' | 'latestVideoId'>;
export type ProjectChanges = Partial<
  Pick<ProjectEntity, 'title' | 'topic' | 'language' | 'templateId' | 'voiceId' | 'musicAssetId' | 'subtitles'>
>;

/** What a user (or a script) says about a scene. */
export interface SceneInput {
  narration: string;
  visualPrompt: string | null;
  assetId: string | null;
}

/** A voiced narration, as the renderer records it. */
export interface SceneVoice {
  /** The renderer's hash of provider, voice, speed and narration. */
  voiceKey: string;
  trackKey: string;
  durationMs: number;
  sentences: SceneSentence[];
}

export interface SceneSegment {
  hash: string;
  storageKey: string;
}

export const narrationHash = (narration: string) => createHash('sha256').update(narration, 'utf8').digest('hex');

/** The voice fields a changed narration invalidates. */
const NO_VOICE = { voiceKey: null, voiceTrackKey: null, durationMs: null, sentences: null } as const;

@Injectable()
export class ProjectsRepository {
  constructor(
    @InjectRepository(ProjectEntity) private readonly projects: Repository<ProjectEntity>,
    @InjectRepository(SceneEntity) private readonly scenes: Repository<SceneEntity>,
    @InjectRepository(TaskEntity) private readonly tasks: Repository<TaskEntity>,
    @InjectRepository(VideoEntity) private readonly videos: Repository<VideoEntity>,
  ) {}

  async create(project: NewProject, inputs: SceneInput[]): Promise<ProjectWithScenes> {
    const now = new Date();
    const entity = this.projects.create({ ...project, latestVideoId: null, createdAt: now, updatedAt: now });
    await this.projects.insert(entity);
    const scenes = this.buildScenes(entity.id, inputs, now);
    try {
      if (scenes.length > 0) {
        await this.scenes.insert(scenes);
      }
    } catch (error) {
      await this.projects.delete({ id: entity.id });
      throw error;
    }
    return { project: entity, scenes };
  }

  findById(id: string): Promise<ProjectEntity | null> {
    return this.projects.findOneBy({ id });
  }

  findScenes(projectId: string): Promise<SceneEntity[]> {
    return this.scenes.find({ where: { projectId }, order: { index: 'ASC' } });
  }

  async findWithScenes(id: string): Promise<ProjectWithScenes | null> {
    const project = await this.findById(id);
    return project ? { project, scenes: await this.findScenes(id) } : null;
  }

  findScene(projectId: string, sceneId: string): Promise<SceneEntity | null> {
    return this.scenes.findOneBy({ id: sceneId, projectId });
  }

  async listByOwner(ownerId: string, page: number, limit: number): Promise<Page<ProjectWithScenes>> {
    const [projects, total] = await this.projects.findAndCount({
      where: { ownerId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    const scenes =
      projects.length > 0
        ? await this.scenes.find({
            where: { projectId: In(projects.map((project) => project.id)) },
            order: { index: 'ASC' },
          })
        : [];
    const items = projects.map((project) => ({
      project,
      scenes: scenes.filter((scene) => scene.projectId === project.id),
    }));
    return { items, total, page, limit };
  }

  async update(id: string, changes: ProjectChanges): Promise<void> {
    await this.projects.update({ id }, { ...changes, updatedAt: new Date() });
  }

  /** Replaces every scene at once; returns the new scenes and the removed ones (to free their segments). */
  async replaceScenes(
    projectId: string,
    inputs: SceneInput[],
  ): Promise<{ scenes: SceneEntity[]; removed: SceneEntity[] }> {
    const now = new Date();
    const scenes = this.buildScenes(projectId, inputs, now);
    const removed = await this.projects.manager.transaction(async (manager) => {
      const old = await manager.findBy(SceneEntity, { projectId });
      await manager.delete(SceneEntity, { projectId });
      if (scenes.length > 0) {
        await manager.insert(SceneEntity, scenes);
      }
      await manager.update(ProjectEntity, { id: projectId }, { updatedAt: now });
      return old;
    });
    return { scenes, removed };
  }

  /** Edits one scene; a different narration drops its voice (the renderer voices it again). */
  async updateScene(scene: SceneEntity, changes: Partial<SceneInput>): Promise<SceneEntity> {
    const now = new Date();
    const narrationChanged = changes.narration !== undefined && changes.narration !== scene.narration;
    const update: Partial<SceneEntity> = {
      ...changes,
      ...(narrationChanged && { narrationHash: narrationHash(changes.narration!), ...NO_VOICE }),
      updatedAt: now,
    };
    await this.scenes.update({ id: scene.id }, update);
    await this.projects.update({ id: scene.projectId }, { updatedAt: now });
    return (await this.scenes.findOneBy({ id: scene.id }))!;
  }

  /**
   * Records the voiced narration of a scene, only if its narration is still the one that was
   * voiced (`expectedNarrationHash`, read with the scene). False when it changed or the scene is gone.
   */
  async recordSceneVoice(sceneId: string, expectedNarrationHash: string, voice: SceneVoice): Promise<boolean> {
    const result = await this.scenes.update(
      { id: sceneId, narrationHash: expectedNarrationHash },
      {
        voiceKey: voice.voiceKey,
        voiceTrackKey: voice.trackKey,
        durationMs: voice.durationMs,
        sentences: voice.sentences,
        updatedAt: new Date(),
      },
    );
    return (result.affected ?? 0) === 1;
  }

  /**
   * Records the rendered segment of a scene. Returns the storage key it replaced (for the caller to
   * delete when it differs from the new one), null when there was none, or undefined when the scene
   * is gone (then the caller deletes the new object).
   */
  async recordSegment(sceneId: string, segment: SceneSegment): Promise<string | null | undefined> {
    const scene = await this.scenes.findOneBy({ id: sceneId });
    if (!scene) {
      return undefined;
    }
    const result = await this.scenes.update(
      { id: sceneId },
      { segmentHash: segment.hash, segmentKey: segment.storageKey, updatedAt: new Date() },
    );
    if ((result.affected ?? 0) !== 1) {
      return undefined;
    }
    return scene.segmentKey !== segment.storageKey ? scene.segmentKey : null;
  }

  async setLatestVideo(projectId: string, videoId: string | null): Promise<void> {
    await this.projects.update({ id: projectId }, { latestVideoId: videoId });
  }

  /** Points latestVideoId elsewhere only while it still names `videoId` (a deleted video). */
  async replaceLatestVideo(projectId: string, videoId: string, replacement: string | null): Promise<void> {
    await this.projects.update({ id: projectId, latestVideoId: videoId }, { latestVideoId: replacement });
  }

  /** Tasks of the project that may still be running. */
  async findUnfinishedTaskIds(projectId: string): Promise<string[]> {
    const tasks = await this.tasks.find({
      select: { id: true },
      where: { projectId, status: In(['queued', 'active']) },
    });
    return tasks.map((task) => task.id);
  }

  /**
   * Deletes the project with its tasks, videos and scenes, and returns the storage keys they
   * owned. Each step can run again, so a failure part-way is finished by deleting again.
   */
  async deleteWithDependents(projectId: string): Promise<string[]> {
    const videos = await this.videos.findBy({ projectId });
    const scenes = await this.scenes.findBy({ projectId });
    await this.tasks.delete({ projectId });
    await this.videos.delete({ projectId });
    await this.projects.delete({ id: projectId });
    return [
      ...videos.flatMap(videoStorageKeysOf),
      ...scenes.flatMap((scene) => (scene.segmentKey === null ? [] : segmentObjectKeys(scene.segmentKey))),
    ];
  }

  private buildScenes(projectId: string, inputs: SceneInput[], now: Date): SceneEntity[] {
    return inputs.map((input, index) =>
      this.scenes.create({
        id: randomUUID(),
        projectId,
        index,
        narration: input.narration,
        narrationHash: narrationHash(input.narration),
        visualPrompt: input.visualPrompt,
        assetId: input.assetId,
        ...NO_VOICE,
        segmentHash: null,
        segmentKey: null,
        createdAt: now,
        updatedAt: now,
      }),
    );
  }
}
