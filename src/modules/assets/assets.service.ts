import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from 'src/config/app.config';
import { AppError } from 'src/common/errors/app-error';
import { Page } from 'src/common/dto/pagination.dto';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { AssetKind } from 'src/modules/assets/asset-classifier';
import { AssetInspector } from 'src/modules/assets/asset.inspector';
import { AssetsRepository } from 'src/modules/assets/assets.repository';
import { AssetEntity } from 'src/modules/assets/entities/asset.entity';
import { receiveMultipartFile } from 'src/modules/assets/multipart-upload';
import { StorageDriver } from 'src/storage/storage.driver';

export interface LocalUpload {
  path: string;
  sizeBytes: number;
  head: Buffer;
  originalName: string;
}

export const assetStorageKey = (ownerId: string, assetId: string) => `assets/${ownerId}/${assetId}`;

/**
 * Whether something outside this module (a project) still uses an asset. Bound by the projects
 * module, so that assets never import projects.
 */
export abstract class AssetUsage {
  abstract isInUse(assetId: string): Promise<boolean>;
}

@Injectable()
export class AssetsService {
  constructor(
    private readonly assets: AssetsRepository,
    private readonly inspector: AssetInspector,
    private readonly storage: StorageDriver,
    private readonly config: AppConfig,
    private readonly usage: AssetUsage,
  ) {}

  /** Where uploads wait (on this machine only) while they are checked. */
  get spoolDir(): string {
    return join(this.config.dataDir, 'tmp', 'uploads');
  }

  async uploadMultipart(user: AuthUser, req: IncomingMessage): Promise<AssetEntity> {
    const file = await receiveMultipartFile(req, this.spoolDir, this.config.uploads.maxBytes);
    try {
      return await this.ingest(user.id, randomUUID(), file);
    } finally {
      await file.discard();
    }
  }

  /**
   * Checks a complete local file and keeps it as an asset. Nothing is kept when the check fails:
   * the caller removes the local file, and a stored object whose row cannot be written is deleted.
   */
  async ingest(ownerId: string, assetId: string, upload: LocalUpload): Promise<AssetEntity> {
    const facts = await this.inspector.inspect(upload.path, upload.head);
    const key = assetStorageKey(ownerId, assetId);
    const stored = await this.storage.putFile(key, upload.path, { contentType: facts.mimeType, move: true });
    try {
      return await this.assets.create({
        id: assetId,
        ownerId,
        kind: facts.kind,
        mimeType: facts.mimeType,
        sizeBytes: stored.sizeBytes,
        originalName: upload.originalName,
        storageKey: key,
        ownsObject: true,
        etag: stored.etag,
        width: facts.width ?? null,
        height: facts.height ?? null,
        durationMs: facts.durationMs ?? null,
      });
    } catch (error) {
      await this.storage.delete(key);
      throw error;
    }
  }

  async findVisible(user: AuthUser, id: string): Promise<AssetEntity> {
    const asset = await this.assets.findById(id);
    if (!asset || (asset.ownerId !== user.id && user.role !== 'admin')) {
      throw AppError.notFound('Asset');
    }
    return asset;
  }

  list(user: AuthUser, kind: AssetKind | undefined, page: number, limit: number): Promise<Page<AssetEntity>> {
    return this.assets.list(user.id, kind, page, limit);
  }

  async delete(user: AuthUser, id: string): Promise<void> {
    const asset = await this.assets.findById(id);
    if (!asset || asset.ownerId !== user.id) {
      throw AppError.notFound('Asset');
    }
    if (await this.usage.isInUse(id)) {
      throw new AppError('CONFLICT', 'A project still uses this asset');
    }
    if (await this.assets.delete(id)) {
      if (asset.ownsObject) {
        await this.storage.delete(asset.storageKey);
      }
    }
  }
}
