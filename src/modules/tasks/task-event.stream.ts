import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from 'src/config/app.config';
import { TaskEntity } from 'src/modules/tasks/entities/task.entity';
import { TaskEvent, TaskEventsBus } from 'src/modules/tasks/task-events.bus';
import { TasksRepository } from 'src/modules/tasks/tasks.repository';
import { isTerminal, terminalEvent } from 'src/modules/tasks/tasks.service';

export const formatSse = (event: TaskEvent) => `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;

/**
 * Streams one task's events as Server-Sent Events: its current progress, each change, then the
 * terminal event, after which the stream ends. A comment line every heartbeat keeps proxies from
 * closing an idle stream. Works whichever process does the work: events come over Redis pub/sub.
 */
@Injectable()
export class TaskEventStream {
  constructor(
    private readonly bus: TaskEventsBus,
    private readonly tasks: TasksRepository,
    private readonly config: AppConfig,
  ) {}

  async open(task: TaskEntity, req: Request, res: Response): Promise<void> {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();

    let closed = false;
    // Set once known; `close` may run before either exists (client gone, task already finished).
    const live: { heartbeat?: NodeJS.Timeout; unsubscribe?: () => Promise<void> } = {};
    const close = (endResponse: boolean) => {
      if (closed) {
        return;
      }
      closed = true;
      clearInterval(live.heartbeat);
      void live.unsubscribe?.();
      if (endResponse) {
        res.end();
      }
    };
    const send = (event: TaskEvent) => {
      if (!closed) {
        res.write(formatSse(event));
        if (event.event !== 'progress') {
          close(true);
        }
      }
    };
    req.on('close', () => close(false));

    // Subscribe before reading the row, so a change between the two is not missed.
    const unsubscribe = await this.bus.subscribe(task.id, send);
    if (closed) {
      await unsubscribe();
      return;
    }
    live.unsubscribe = unsubscribe;
    const current = (await this.tasks.findById(task.id)) ?? task;
    if (isTerminal(current)) {
      send(terminalEvent(current));
      return;
    }
    send({ event: 'progress', data: { progress: current.progress, stage: current.stage } });
    if (!closed) {
      live.heartbeat = setInterval(() => res.write(': heartbeat\n\n'), this.config.tasks.sseHeartbeatMs);
    }
  }
}
