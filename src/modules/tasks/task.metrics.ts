import { Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from 'src/common/metrics/metrics.module';
import { TaskEntity } from 'src/modules/tasks/entities/task.entity';
import { TaskQueue } from 'src/modules/tasks/task.queue';

/** Queue depth by state, task (and stage) durations, failures by code. */
@Injectable()
export class TaskMetrics {
  private readonly logger = new Logger(TaskMetrics.name);
  private readonly duration: Histogram<'type' | 'stage'>;
  private readonly failed: Counter<'type' | 'code'>;

  constructor(metrics: MetricsRegistry, queue: TaskQueue) {
    const registers = [metrics.registry];
    const logger = this.logger;
    new Gauge({
      name: 'reelsmith_queue_jobs',
      help: 'Jobs in the tasks queue by state',
      labelNames: ['state'] as const,
      registers,
      async collect() {
        try {
          for (const [state, count] of Object.entries(await queue.counts())) {
            this.set({ state }, count);
          }
        } catch (error) {
          logger.debug(`Queue depth unavailable: ${(error as Error).message}`);
        }
      },
    });
    this.duration = new Histogram({
      name: 'reelsmith_task_duration_seconds',
      help: 'Time spent per task type and stage (stage "total" is the whole run)',
      labelNames: ['type', 'stage'] as const,
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers,
    });
    this.failed = new Counter({
      name: 'reelsmith_tasks_failed_total',
      help: 'Tasks that ended failed, by type and error code',
      labelNames: ['type', 'code'] as const,
      registers,
    });
  }

  observeStage(type: string, stage: string, seconds: number): void {
    this.duration.observe({ type, stage }, seconds);
  }

  recordFinished(task: TaskEntity): void {
    if (task.status === 'failed') {
      this.failed.inc({ type: task.type, code: task.errorCode ?? 'UNKNOWN' });
    }
  }
}
