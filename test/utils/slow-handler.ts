import { runProcess } from 'src/common/process/child-process.runner';
import { TaskContext, TaskHandler } from 'src/modules/tasks/task-handler.registry';

export interface SlowHandlerLog {
  runs: string[];
  completions: string[];
  childPids: number[];
}

/**
 * A real handler for engine tests: it does its "work" in a child process (`sleep`), reports
 * progress in steps, and records every run and completion so tests can prove nothing ran twice.
 */
export function slowHandler(log: SlowHandlerLog, steps = 4, stepSeconds = 0.25): TaskHandler {
  return async (context: TaskContext) => {
    log.runs.push(context.task.id);
    for (let step = 1; step <= steps; step++) {
      await runProcess('sleep', [String(stepSeconds)], {
        signal: context.signal,
        onSpawn: (pid) => log.childPids.push(pid),
      });
      await context.progress((step / steps) * 100 - 1, 'compose');
    }
    log.completions.push(context.task.id);
    return { steps, attempt: context.attempt };
  };
}

export const newSlowHandlerLog = (): SlowHandlerLog => ({ runs: [], completions: [], childPids: [] });
