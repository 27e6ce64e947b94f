import { Logger } from '@nestjs/common';
import { AppError } from 'src/common/errors/app-error';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { AssetEntity } from 'src/modules/assets/entities/asset.entity';
import { AssetsRepository } from 'src/modules/assets/assets.repository';
import { ProjectEntity } from 'src/modules/projects/entities/project.entity';
import { SceneEntity } from 'src/modules/projects/entities/scene.entity';
import { ProjectsRepository } from 'src/modules/projects/projects.repository';
import { ProjectsService } from 'src/modules/projects/projects.service';
import { TemplateEntity } from 'src/modules/templates/entities/template.entity';
import { DEFAULT_TEMPLATE_ID } from 'src/modules/templates/templates.constants';
import { TemplatesService } from 'src/modules/templates/templates.service';
import { TasksService } from 'src/modules/tasks/tasks.service';
import { SpeechSynthesizer } from 'src/providers/ai/speech-synthesizer.provider';
import { StorageDriver } from 'src/storage/storage.driver';

const OWNER: AuthUser = { id: 'owner', role: 'user' };
const ADMIN: AuthUser = { id: 'admin', role: 'admin' };
const IMAGE = '11111111-1111-4111-8111-111111111111';
const AUDIO = '22222222-2222-4222-8222-222222222222';
const THEIRS = '33333333-3333-4333-8333-333333333333';

const asset = (id: string, kind: AssetEntity['kind'], ownerId = OWNER.id) =>
  Object.assign(new AssetEntity(), { id, kind, ownerId });
const template = Object.assign(new TemplateEntity(), { id: DEFAULT_TEMPLATE_ID, name: 'vertical-default' });
const project = (overrides: Partial<ProjectEntity> = {}) =>
  Object.assign(new ProjectEntity(), { id: 'p1', ownerId: OWNER.id, templateId: template.id, ...overrides });
const scene = (overrides: Partial<SceneEntity> = {}) =>
  Object.assign(new SceneEntity(), { id: 's1', projectId: 'p1', index: 0, segmentKey: null, ...overrides });

/** Every collaborator mocked; a call nobody set up fails the test. */
function newTestService() {
  const unexpected = (name: string) =>
    jest.fn((..._args: unknown[]): Promise<unknown> => Promise.reject(new Error(`unexpected call: ${name}`)));
  const projects = {
    create: jest.fn((row: ProjectEntity, scenes: unknown[]) => Promise.resolve({ project: row, scenes })),
    findById: jest.fn().mockResolvedValue(project()),
    findWithScenes: jest.fn().mockResolvedValue({ project: project(), scenes: [] }),
    findScene: unexpected('findScene'),
    update: unexpected('update'),
    replaceScenes: unexpected('replaceScenes'),
    updateScene: unexpected('updateScene'),
    findUnfinishedTaskIds: jest.fn().mockResolvedValue([]),
    deleteWithDependents: jest.fn().mockResolvedValue([]),
  };
  const assets = {
    findById: jest.fn((id: string) =>
      Promise.resolve(
        { [IMAGE]: asset(IMAGE, 'image'), [AUDIO]: asset(AUDIO, 'audio'), [THEIRS]: asset(THEIRS, 'image', 'x') }[id] ??
          null,
      ),
    ),
  };
  const templates = {
    resolve: jest.fn((ref: string) => Promise.resolve(ref === template.id || ref === template.name ? template : null)),
  };
  const synthesizer = { listVoices: jest.fn().mockReturnValue([{ id: 'espeak:en-us' }]) };
  const tasks = { cancel: jest.fn().mockResolvedValue(undefined) };
  const storage = { delete: jest.fn().mockResolvedValue(undefined) };
  const sut = new ProjectsService(
    projects as unknown as ProjectsRepository,
    templates as unknown as TemplatesService,
    assets as unknown as AssetsRepository,
    synthesizer as unknown as SpeechSynthesizer,
    tasks as unknown as TasksService,
    storage as unknown as StorageDriver,
  );
  return { sut, projects, assets, templates, tasks, storage };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe(ProjectsService.name, () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));

  describe('create', () => {
    it('fills in the defaults and stores asset ids in lower case', async () => {
      const { sut, projects } = newTestService();
      await sut.create(OWNER, { title: 'T', scenes: [{ narration: 'n', assetId: IMAGE.toUpperCase() }] });
      expect(projects.create).toHaveBeenCalledWith(
        expect.objectContaining({
          ownerId: OWNER.id,
          topic: null,
          language: 'en',
          templateId: DEFAULT_TEMPLATE_ID,
          voiceId: null,
          musicAssetId: null,
          subtitles: true,
        }),
        [{ narration: 'n', visualPrompt: null, assetId: IMAGE }],
      );
    });

    it('answers 404 naming every unseen reference, before any 400', async () => {
      const { sut, projects } = newTestService();
      const error = await failure(
        sut.create(OWNER, {
          title: 'T',
          templateId: 'missing',
          voiceId: 'nobody',
          musicAssetId: THEIRS,
          scenes: [
            { narration: 'a', assetId: AUDIO },
            { narration: 'b', assetId: 'aaaaaaaa-0000-4000-8000-000000000000' },
          ],
        }),
      );
      expect(error.code).toBe('NOT_FOUND');
      expect(error.details?.map((detail) => detail.field)).toEqual(['templateId', 'musicAssetId', 'scenes.1.assetId']);
      expect(projects.create).not.toHaveBeenCalled();
    });

    it('answers 400 for a voice the provider lacks and assets of the wrong kind', async () => {
      const { sut } = newTestService();
      const error = await failure(
        sut.create(OWNER, {
          title: 'T',
          voiceId: 'nobody',
          musicAssetId: IMAGE,
          scenes: [{ narration: 'a', assetId: AUDIO }],
        }),
      );
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details?.map((detail) => detail.field)).toEqual(['voiceId', 'musicAssetId', 'scenes.0.assetId']);
    });
  });

  describe('ownership', () => {
    it('lets an admin read any project but change only their own', async () => {
      const { sut, projects } = newTestService();
      await expect(sut.findVisible(ADMIN, 'p1')).resolves.toMatchObject({ project: { id: 'p1' } });
      expect((await failure(sut.update(ADMIN, 'p1', { title: 'x' }))).code).toBe('NOT_FOUND');
      expect((await failure(sut.delete(ADMIN, 'p1'))).code).toBe('NOT_FOUND');
      expect(projects.deleteWithDependents).not.toHaveBeenCalled();
    });

    it('hides other users’ projects and unknown scenes with 404', async () => {
      const { sut, projects } = newTestService();
      expect((await failure(sut.findVisible({ id: 'someone', role: 'user' }, 'p1'))).code).toBe('NOT_FOUND');
      projects.findScene.mockResolvedValue(null);
      expect((await failure(sut.updateScene(OWNER, 'p1', 's9', { narration: 'x' }))).message).toBe('Scene not found');
    });
  });

  describe('delete', () => {
    it('cancels unfinished tasks (ignoring refusals), then deletes rows and every stored object once', async () => {
      const { sut, projects, tasks, storage } = newTestService();
      projects.findUnfinishedTaskIds.mockResolvedValue(['t1', 't2']);
      tasks.cancel.mockRejectedValueOnce(new AppError('CONFLICT', 'already finished'));
      projects.deleteWithDependents.mockResolvedValue(['videos/a/file.mp4', 'seg/x.mp4', 'seg/x.mp4']);
      storage.delete.mockRejectedValueOnce(new Error('disk on fire'));
      await sut.delete(OWNER, 'p1');
      expect(tasks.cancel.mock.calls).toEqual([
        [OWNER, 't1'],
        [OWNER, 't2'],
      ]);
      expect(projects.deleteWithDependents).toHaveBeenCalledWith('p1');
      expect(storage.delete.mock.calls).toEqual([['videos/a/file.mp4'], ['seg/x.mp4']]);
    });
  });

  describe('replaceScenesOf', () => {
    it('frees the segments (and their posters) of the removed scenes', async () => {
      const { sut, projects, storage } = newTestService();
      projects.replaceScenes.mockResolvedValue({
        scenes: [],
        removed: [scene({ segmentKey: 'seg/1.mp4' }), scene({ id: 's2', segmentKey: null })],
      });
      await sut.replaceScenesOf('p1', []);
      // The segment and the poster that may be kept beside it.
      expect(storage.delete.mock.calls).toEqual([['seg/1.mp4'], ['seg/1.jpg']]);
    });
  });
});
