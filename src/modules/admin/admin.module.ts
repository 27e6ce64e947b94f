import { getQueueToken } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import type { Queue } from 'bull';
import { ALL_QUEUES } from 'src/common/queue/queue.names';
import { AdminBasicAuthMiddleware } from 'src/modules/admin/basic-auth.middleware';
import { BOARD_QUEUES, BullBoardMounter } from 'src/modules/admin/bull-board.mounter';
import { AuthModule } from 'src/modules/auth/auth.module';

/** Operator pages outside the versioned API: the bull-board queue dashboard at /admin/queues. */
@Module({
  imports: [AuthModule],
  providers: [
    AdminBasicAuthMiddleware,
    BullBoardMounter,
    {
      provide: BOARD_QUEUES,
      useFactory: (...queues: Queue[]) => queues,
      inject: ALL_QUEUES.map((name) => getQueueToken(name)),
    },
  ],
})
export class AdminModule {}
