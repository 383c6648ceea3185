import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Redis } from 'ioredis';
import type { AnalysisVersions } from '../domain/analysis.js';
import type { Logger } from '../logging/logger.js';

/** What one process of the service runs and with which taxonomy and dictionary. */
export interface ProcessInfo {
  id: string;
  host: string;
  pid: number;
  roles: string[];
  /** Absent while the process has not loaded the analysis pipeline yet (it loads on first use). */
  versions?: Pick<AnalysisVersions, 'taxonomy' | 'dictionary' | 'pipeline'>;
  startedAt: string;
  seenAt: string;
  /** The last reload this process applied, or why it refused it. */
  lastReload?: { at: string; ok: boolean; error?: string };
}

export type ControlMessage = { kind: 'taxonomy-reload'; from: string; at: string };

/**
 * Tells every process of the service about an admin action (a taxonomy/dictionary reload) and
 * keeps the list of processes with the versions they run. Redis pub/sub in the distributed mode,
 * in-process in the embedded mode (one process).
 */
export interface ControlBus {
  readonly processId: string;
  publish(message: ControlMessage): Promise<void>;
  subscribe(handler: (message: ControlMessage) => void): void;
  /** Records this process's state (also repeated as a heartbeat). */
  report(info: Omit<ProcessInfo, 'id' | 'host' | 'pid' | 'startedAt' | 'seenAt'>): Promise<void>;
  /** Processes seen within the last two heartbeats, newest first. */
  processes(): Promise<ProcessInfo[]>;
  close(): Promise<void>;
}

const HEARTBEAT_MS = 30_000;

abstract class BaseBus implements ControlBus {
  readonly processId = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  protected readonly startedAt = new Date().toISOString();
  protected last: Omit<ProcessInfo, 'id' | 'host' | 'pid' | 'startedAt' | 'seenAt'> = { roles: [] };
  abstract publish(message: ControlMessage): Promise<void>;
  abstract subscribe(handler: (message: ControlMessage) => void): void;
  abstract processes(): Promise<ProcessInfo[]>;
  abstract close(): Promise<void>;
  protected abstract save(info: ProcessInfo): Promise<void>;

  async report(info: Omit<ProcessInfo, 'id' | 'host' | 'pid' | 'startedAt' | 'seenAt'>): Promise<void> {
    this.last = info;
    await this.save(this.snapshot());
  }

  protected snapshot(): ProcessInfo {
    return {
      id: this.processId,
      host: os.hostname(),
      pid: process.pid,
      startedAt: this.startedAt,
      seenAt: new Date().toISOString(),
      ...this.last,
    };
  }
}

/** The embedded mode: one process, so the bus is a function call. */
export class LocalControlBus extends BaseBus {
  private handlers: ((message: ControlMessage) => void)[] = [];
  private info: ProcessInfo | undefined;

  async publish(message: ControlMessage): Promise<void> {
    for (const handler of this.handlers) handler(message);
  }

  subscribe(handler: (message: ControlMessage) => void): void {
    this.handlers.push(handler);
  }

  async processes(): Promise<ProcessInfo[]> {
    return this.info ? [this.info] : [];
  }

  protected async save(info: ProcessInfo): Promise<void> {
    this.info = info;
  }

  async close(): Promise<void> {
    this.handlers = [];
  }
}

/** The distributed mode: Redis pub/sub for messages, a hash of processes with heartbeats. */
export class RedisControlBus extends BaseBus {
  private readonly client: Redis;
  private subscriber: Redis | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    super();
    this.client = new Redis(url, { maxRetriesPerRequest: 3 });
    this.client.on('error', (err) => logger.warn({ err }, 'control bus: redis connection problem'));
    this.timer = setInterval(() => {
      this.save(this.snapshot()).catch(() => undefined);
    }, HEARTBEAT_MS);
    this.timer.unref();
  }

  private get channel(): string {
    return `${this.prefix}:control`;
  }

  private get registry(): string {
    return `${this.prefix}:processes`;
  }

  async publish(message: ControlMessage): Promise<void> {
    await this.client.publish(this.channel, JSON.stringify(message));
  }

  subscribe(handler: (message: ControlMessage) => void): void {
    if (!this.subscriber) {
      this.subscriber = new Redis(this.url, { maxRetriesPerRequest: null });
      this.subscriber.on('error', (err) =>
        this.logger.warn({ err }, 'control bus: redis connection problem'),
      );
      void this.subscriber.subscribe(this.channel).catch((err: unknown) => {
        this.logger.error({ err }, 'control bus: cannot subscribe; reloads will not reach this process');
      });
    }
    this.subscriber.on('message', (channel, text) => {
      if (channel !== this.channel) return;
      try {
        handler(JSON.parse(text) as ControlMessage);
      } catch (err) {
        this.logger.warn({ err }, 'control bus: a message could not be handled');
      }
    });
  }

  async processes(): Promise<ProcessInfo[]> {
    const all = Object.values(await this.client.hgetall(this.registry)).map(
      (v) => JSON.parse(v) as ProcessInfo,
    );
    const alive = Date.now() - 2 * HEARTBEAT_MS - 5_000;
    const stale = all.filter((p) => Date.parse(p.seenAt) < alive).map((p) => p.id);
    if (stale.length) await this.client.hdel(this.registry, ...stale);
    return all
      .filter((p) => Date.parse(p.seenAt) >= alive)
      .sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
  }

  protected async save(info: ProcessInfo): Promise<void> {
    await this.client.hset(this.registry, info.id, JSON.stringify(info));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.client.hdel(this.registry, this.processId).catch(() => undefined);
    await Promise.allSettled([this.client.quit(), ...(this.subscriber ? [this.subscriber.quit()] : [])]);
  }
}
