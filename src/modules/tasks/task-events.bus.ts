import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from 'src/config/app.config';
import { RedisClient, RedisEndpoint, watchRedisErrors } from 'src/common/redis/redis.module';

export type TaskEventName = 'progress' | 'completed' | 'failed' | 'cancelled';

export interface TaskEvent {
  event: TaskEventName;
  data: Record<string, unknown>;
}

export interface TaskControl {
  action: 'cancel';
  taskId: string;
}

type Listener<T> = (message: T) => void;

/**
 * Task events and control messages over Redis pub/sub, so they cross process boundaries (an API
 * streaming SSE, a worker doing the work). One subscriber connection per process, fanned out here.
 */
@Injectable()
export class TaskEventsBus implements OnApplicationShutdown {
  private readonly logger = new Logger(TaskEventsBus.name);
  private subscriber?: Redis;
  private readonly listeners = new Map<string, Set<Listener<unknown>>>();
  private readonly subscribed = new Map<string, Promise<unknown>>();

  constructor(
    private readonly endpoint: RedisEndpoint,
    private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  private eventsChannel(taskId: string): string {
    return `${this.config.redis.queuePrefix}:task-events:${taskId}`;
  }

  private get controlChannel(): string {
    return `${this.config.redis.queuePrefix}:task-control`;
  }

  /** Best effort: the row is the truth, and readers re-read it when they (re)subscribe. */
  async publish(taskId: string, event: TaskEvent): Promise<void> {
    await this.send(this.eventsChannel(taskId), event);
  }

  async publishControl(message: TaskControl): Promise<void> {
    await this.send(this.controlChannel, message);
  }

  /** Resolves once Redis has confirmed the subscription, so nothing published afterwards is missed. */
  subscribe(taskId: string, listener: Listener<TaskEvent>): Promise<() => Promise<void>> {
    return this.listen(this.eventsChannel(taskId), listener as Listener<unknown>);
  }

  onControl(listener: Listener<TaskControl>): Promise<() => Promise<void>> {
    return this.listen(this.controlChannel, listener as Listener<unknown>);
  }

  /** Channels this process listens on (each open SSE stream or waiting request holds one). */
  get subscriptionCount(): number {
    return this.listeners.size;
  }

  async onApplicationShutdown(): Promise<void> {
    this.listeners.clear();
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  private async send(channel: string, message: unknown): Promise<void> {
    try {
      await this.redis.redis.publish(channel, JSON.stringify(message));
    } catch (error) {
      this.logger.warn(`Could not publish to ${channel}: ${(error as Error).message}`);
    }
  }

  private async listen(channel: string, listener: Listener<unknown>): Promise<() => Promise<void>> {
    const subscriber = this.connection();
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.subscribed.set(channel, subscriber.subscribe(channel));
    }
    set.add(listener);
    await this.subscribed.get(channel);
    return async () => {
      const current = this.listeners.get(channel);
      current?.delete(listener);
      if (current && current.size === 0) {
        this.listeners.delete(channel);
        this.subscribed.delete(channel);
        await subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  private connection(): Redis {
    if (!this.subscriber) {
      // ioredis re-subscribes to every channel by itself after a reconnect.
      this.subscriber = new Redis(this.endpoint.url, { maxRetriesPerRequest: null });
      watchRedisErrors(this.subscriber, this.logger);
      this.subscriber.on('message', (channel: string, raw: string) => this.dispatch(channel, raw));
    }
    return this.subscriber;
  }

  private dispatch(channel: string, raw: string): void {
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    for (const listener of this.listeners.get(channel) ?? []) {
      listener(message);
    }
  }
}
