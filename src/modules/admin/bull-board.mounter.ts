import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Queue } from 'bull';
import type { RequestHandler } from 'express';
import { AdminBasicAuthMiddleware } from 'src/modules/admin/basic-auth.middleware';

export const ADMIN_QUEUES_PATH = '/admin/queues';

/** Injection token for every Bull queue the board shows (ALL_QUEUES). */
export const BOARD_QUEUES = Symbol('BOARD_QUEUES');

type BoardErrorHandler = Parameters<ExpressAdapter['setErrorHandler']>[0];

/** bull-board echoes error messages (and stacks under NODE_ENV=development); ours log them and say less. */
export function boardErrorHandler(logger: Logger): BoardErrorHandler {
  return (error: Error & { statusCode?: number }) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      logger.error({ err: error }, 'Queue dashboard request failed');
    }
    return {
      status: status as ReturnType<BoardErrorHandler>['status'],
      body: {
        error: { key: 'ERRORS.INTERNAL_SERVER_ERROR' },
        message: status === 500 ? 'Internal server error' : error.message,
      },
    };
  };
}

/**
 * Mounts bull-board on the Express instance itself, outside the /api/v1 prefix, behind Basic auth.
 * onModuleInit runs after Nest has registered its routes but before its 404 and error handlers
 * (NestApplication.init: registerRouter, callInitHook, registerRouterHooks), so the mount is reached.
 */
@Injectable()
export class BullBoardMounter implements OnModuleInit {
  private readonly logger = new Logger(BullBoardMounter.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly basicAuth: AdminBasicAuthMiddleware,
    @Inject(BOARD_QUEUES) private readonly queues: Queue[],
  ) {}

  onModuleInit(): void {
    const board = new ExpressAdapter().setBasePath(ADMIN_QUEUES_PATH);
    createBullBoard({
      queues: this.queues.map((queue) => new BullAdapter(queue)),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'Reelsmith queues' } },
    });
    board.setErrorHandler(boardErrorHandler(this.logger));
    const authenticate: RequestHandler = (req, res, next) => void this.basicAuth.use(req, res, next);
    this.adapterHost.httpAdapter.use(ADMIN_QUEUES_PATH, authenticate, board.getRouter() as RequestHandler);
  }
}
