import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { JobStatus, Queue } from 'bull';
import { QueueName } from 'src/common/queue/queue.names';
import { withTimeout } from 'src/common/utils/with-timeout';

export interface TaskJobData {
  taskId: string;
}

// queue.add() waits forever while Redis is unreachable (Bull #2210, #2558): callers get an answer
// in time, and the HTTP answer (503) stays within 2 s.
export const ENQUEUE_TIMEOUT_MS = 1500;

/** The producer side of the tasks queue. Jobs carry only the task id. */
@Injectable()
export class TaskQueue {
  private readonly logger = new Logger(TaskQueue.name);

  constructor(@InjectQueue(QueueName.Tasks) private readonly queue: Queue<TaskJobData>) {}

  /** Returns the job id; throws when Redis did not take the job within ENQUEUE_TIMEOUT_MS. */
  async enqueue(taskId: string, delayMs = 0): Promise<string> {
    const job = await withTimeout(
      this.queue.add({ taskId }, { attempts: 1, ...(delayMs > 0 ? { delay: delayMs } : {}) }),
      ENQUEUE_TIMEOUT_MS,
      'enqueue',
    );
    return String(job.id);
  }

  /** The job's state, or undefined when Redis no longer has it. */
  async jobState(jobId: string): Promise<JobStatus | 'stuck' | undefined> {
    const job = await withTimeout(this.queue.getJob(jobId), ENQUEUE_TIMEOUT_MS, 'getJob');
    return job ? await job.getState() : undefined;
  }

  /** Best effort: a queued job of a cancelled task would only be skipped by the worker anyway. */
  async remove(jobId: string | null): Promise<void> {
    if (!jobId) {
      return;
    }
    try {
      const job = await withTimeout(this.queue.getJob(jobId), ENQUEUE_TIMEOUT_MS, 'getJob');
      if (job && !(await job.isActive())) {
        await job.remove();
      }
    } catch (error) {
      this.logger.debug(`Could not remove job ${jobId}: ${(error as Error).message}`);
    }
  }

  async counts(): Promise<Record<string, number>> {
    const counts = await withTimeout(this.queue.getJobCounts(), ENQUEUE_TIMEOUT_MS, 'getJobCounts');
    return { ...counts };
  }
}
