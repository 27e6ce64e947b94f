import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { FileStore } from '@tus/file-store';
import { Server, Upload } from '@tus/server';
import { AppConfig } from 'src/config/app.config';
import { AppError } from 'src/common/errors/app-error';
import { translateError } from 'src/common/filters/all-exceptions.filter';
import { errorBody } from 'src/common/errors/error-body';
import { requestIdOf } from 'src/common/http/request-id';
import type { AuthUser } from 'src/modules/auth/auth.service';
import { AssetsService } from 'src/modules/assets/assets.service';
import { cleanOriginalName } from 'src/modules/assets/multipart-upload';
import { SNIFF_BYTES } from 'src/modules/assets/magic-bytes';

export const UPLOADS_PATH = '/api/v1/uploads';
// An upload nobody touched for a day is abandoned; its bytes are removed.
export const UPLOAD_EXPIRY_MS = 24 * 3600 * 1000;
const CLEANUP_INTERVAL_MS = 3600 * 1000;

type UserRequest = IncomingMessage & { user?: AuthUser };

/** tus hooks reject with `{ status_code, body }`; the body is our contract's error JSON. */
function tusError(req: IncomingMessage, error: unknown): { status_code: number; body: string } {
  const { status, code, message, details } = translateError(error);
  return {
    status_code: status,
    body: JSON.stringify(errorBody(status, code, message, requestIdOf(req as never), details)),
  };
}

async function readHead(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/**
 * Resumable uploads (tus 1.0.0: creation, HEAD/PATCH resume, termination) for signed-in users.
 * The owner is recorded in the upload's metadata and checked on every request; a finished upload
 * goes through the same content checks as a multipart one and becomes the asset with its id.
 */
@Injectable()
export class TusUploadsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TusUploadsService.name);
  readonly store: FileStore;
  readonly server: Server;
  private cleanupTimer?: NodeJS.Timeout;

  constructor(
    private readonly assets: AssetsService,
    private readonly config: AppConfig,
  ) {
    this.store = new FileStore({
      directory: join(config.dataDir, 'tmp', 'tus'),
      expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS,
    });
    this.server = new Server({
      path: UPLOADS_PATH,
      datastore: this.store,
      maxSize: config.uploads.maxBytes,
      respectForwardedHeaders: config.trustProxy,
      relativeLocation: true,
      namingFunction: () => randomUUID(),
      onUploadCreate: (req, res, upload) => this.onCreate(req, res, upload),
      onIncomingRequest: (req, _res, id) => this.assertOwner(req, id),
      onUploadFinish: (req, res, upload) => this.onFinish(req, res, upload),
    });
  }

  onApplicationBootstrap(): void {
    this.cleanupTimer = setInterval(() => void this.cleanUpExpired(), CLEANUP_INTERVAL_MS);
    this.cleanupTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.cleanupTimer);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await this.server.handle(req, res);
  }

  async cleanUpExpired(): Promise<number> {
    try {
      return await this.server.cleanUpExpiredUploads();
    } catch (error) {
      this.logger.warn(`Expired upload clean-up failed: ${(error as Error).message}`);
      return 0;
    }
  }

  private onCreate(req: UserRequest, res: ServerResponse, upload: Upload) {
    const metadata = {
      ...upload.metadata,
      ownerId: req.user!.id,
      filename: cleanOriginalName(upload.metadata?.filename ?? undefined),
    };
    return Promise.resolve({ res, metadata });
  }

  /** Someone else's upload answers 404, like everything else the caller cannot see. */
  private async assertOwner(req: UserRequest, id: string): Promise<void> {
    if (req.method === 'POST') {
      return; // Creation: the id is brand new, and onCreate records the owner.
    }
    let ownerId: string | null | undefined;
    try {
      ownerId = (await this.store.getUpload(id)).metadata?.ownerId;
    } catch {
      ownerId = undefined;
    }
    if (ownerId !== req.user?.id) {
      // @tus/server answers a thrown { status_code, body } as that response.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw tusError(req, AppError.notFound('Upload'));
    }
  }

  private async onFinish(req: IncomingMessage, res: ServerResponse, upload: Upload) {
    const path = join(this.store.directory, upload.id);
    try {
      await this.assets.ingest(upload.metadata!.ownerId!, upload.id, {
        path,
        sizeBytes: upload.size ?? upload.offset,
        head: await readHead(path),
        originalName: cleanOriginalName(upload.metadata?.filename ?? undefined),
      });
      return res;
    } catch (error) {
      const refused = tusError(req, error);
      return {
        res,
        status_code: refused.status_code,
        body: refused.body,
        headers: { 'Content-Type': 'application/json' },
      };
    } finally {
      // The asset has its own copy now (or was refused): the upload's bytes and info file go. The
      // store's own remove() stops at a missing data file, which the asset may have taken over.
      await rm(path, { force: true });
      await this.store.configstore.delete(upload.id);
    }
  }
}
