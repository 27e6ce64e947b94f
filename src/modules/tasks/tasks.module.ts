import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TaskEntity } from 'src/modules/tasks/entities/task.entity';
import { TaskEventStream } from 'src/modules/tasks/task-event.stream';
import { TaskEventsBus } from 'src/modules/tasks/task-events.bus';
import { TaskHandlerRegistry } from 'src/modules/tasks/task-handler.registry';
import { TaskMetrics } from 'src/modules/tasks/task.metrics';
import { TaskQueue } from 'src/modules/tasks/task.queue';
import { TaskReconciler } from 'src/modules/tasks/task.reconciler';
import { TaskRunner } from 'src/modules/tasks/task.runner';
import { TaskSubmission } from 'src/modules/tasks/task-submission';
import { TasksController } from 'src/modules/tasks/tasks.controller';
import { TasksProcessor } from 'src/modules/tasks/tasks.processor';
import { TasksRepository } from 'src/modules/tasks/tasks.repository';
import { TasksService } from 'src/modules/tasks/tasks.service';
import { WebhooksModule } from 'src/modules/webhooks/webhooks.module';

/** The task engine every heavy operation runs on; feature modules register handlers per task type. */
@Module({
  imports: [TypeOrmModule.forFeature([TaskEntity]), WebhooksModule],
  controllers: [TasksController],
  providers: [
    TasksRepository,
    TasksService,
    TaskQueue,
    TaskEventsBus,
    TaskEventStream,
    TaskHandlerRegistry,
    TaskMetrics,
    TaskRunner,
    TasksProcessor,
    TaskReconciler,
    TaskSubmission,
  ],
  exports: [TasksService, TaskHandlerRegistry, TaskSubmission],
})
export class TasksModule {}
