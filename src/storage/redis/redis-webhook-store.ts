import { Redis } from 'ioredis';
import type {
  DeadLetter,
  DeliveryAttempt,
  Webhook,
  WebhookProgress,
  WebhookStore,
} from '../webhook-store.js';

/** Takes the lease if free or already ours (extending it). */
const LEASE = `local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;
/** Drops the lease only if it is still ours (it may have expired and passed to another worker). */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
/** Compare-and-set of the cursor, with the rest of the progress. */
const SAVE_PROGRESS = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local c = redis.call('HGET', KEYS[1], 'cursor') or ''
if c ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'cursor', ARGV[2], 'progress', ARGV[3])
return 1`;

/**
 * Webhooks in the distributed mode, in the queue's Redis, shared by every API and worker process.
 * The lease, the cursor's compare-and-set and the release are small scripts, so each is atomic.
 */
export class RedisWebhookStore implements WebhookStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 3 });
    this.redis.on('error', () => undefined);
  }

  private k(...parts: string[]): string {
    return `${this.prefix}:webhooks:${parts.join(':')}`;
  }

  async create(webhook: Webhook, progress: WebhookProgress): Promise<void> {
    const { cursor, ...rest } = progress;
    await this.redis
      .multi()
      .hset(this.k('hook', webhook.id), {
        webhook: JSON.stringify(webhook),
        cursor: cursor ?? '',
        progress: JSON.stringify(rest),
      })
      .zadd(this.k('index'), Date.parse(webhook.createdAt), webhook.id)
      .exec();
  }

  async get(id: string): Promise<Webhook | undefined> {
    const raw = await this.redis.hget(this.k('hook', id), 'webhook');
    return raw ? (JSON.parse(raw) as Webhook) : undefined;
  }

  async list(): Promise<Webhook[]> {
    const ids = await this.redis.zrange(this.k('index'), 0, -1);
    const all = await Promise.all(ids.map((id) => this.get(id)));
    return all.filter((w): w is Webhook => w !== undefined);
  }

  async delete(id: string): Promise<boolean> {
    const results = await this.redis
      .multi()
      .del(this.k('hook', id))
      .del(this.k('attempts', id), this.k('dead', id), this.k('dead-order', id), this.k('dead-seq', id))
      .del(this.k('lease', id))
      .zrem(this.k('index'), id)
      .exec();
    return Number(results?.[0]?.[1] ?? 0) > 0;
  }

  async setStatus(id: string, status: Webhook['status']): Promise<void> {
    const webhook = await this.get(id);
    if (webhook) await this.redis.hset(this.k('hook', id), 'webhook', JSON.stringify({ ...webhook, status }));
  }

  async progress(id: string): Promise<WebhookProgress | undefined> {
    const [cursor, rest] = await this.redis.hmget(this.k('hook', id), 'cursor', 'progress');
    if (rest == null) return undefined;
    return { ...(JSON.parse(rest) as WebhookProgress), ...(cursor ? { cursor } : {}) };
  }

  async saveProgress(
    id: string,
    expectedCursor: string | undefined,
    progress: WebhookProgress,
  ): Promise<boolean> {
    const { cursor, ...rest } = progress;
    const done = await this.redis.eval(
      SAVE_PROGRESS,
      1,
      this.k('hook', id),
      expectedCursor ?? '',
      cursor ?? '',
      JSON.stringify(rest),
    );
    return Number(done) === 1;
  }

  async lease(id: string, owner: string, ttlMs: number): Promise<boolean> {
    return Number(await this.redis.eval(LEASE, 1, this.k('lease', id), owner, String(ttlMs))) === 1;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.k('lease', id), owner);
  }

  async logAttempt(id: string, attempt: DeliveryAttempt, keep: number): Promise<void> {
    await this.redis
      .multi()
      .lpush(this.k('attempts', id), JSON.stringify(attempt))
      .ltrim(this.k('attempts', id), 0, keep - 1)
      .exec();
  }

  async attempts(id: string, limit: number): Promise<DeliveryAttempt[]> {
    const rows = await this.redis.lrange(this.k('attempts', id), 0, limit - 1);
    return rows.map((r) => JSON.parse(r) as DeliveryAttempt);
  }

  async putDeadLetter(id: string, letter: DeadLetter): Promise<void> {
    const seq = await this.redis.incr(this.k('dead-seq', id));
    await this.redis
      .multi()
      .hset(this.k('dead', id), letter.messageId, JSON.stringify(letter))
      .zadd(this.k('dead-order', id), 'NX', seq, letter.messageId)
      .exec();
  }

  async deadLetters(id: string): Promise<DeadLetter[]> {
    const order = await this.redis.zrange(this.k('dead-order', id), 0, -1);
    if (order.length === 0) return [];
    const rows = await this.redis.hmget(this.k('dead', id), ...order);
    return rows.filter((r): r is string => r != null).map((r) => JSON.parse(r) as DeadLetter);
  }

  async removeDeadLetter(id: string, messageId: string): Promise<void> {
    await this.redis
      .multi()
      .hdel(this.k('dead', id), messageId)
      .zrem(this.k('dead-order', id), messageId)
      .exec();
  }

  async queueDeadLetters(id: string): Promise<number> {
    const dead = (await this.deadLetters(id)).filter((l) => l.state === 'dead');
    if (dead.length === 0) return 0;
    const multi = this.redis.multi();
    for (const l of dead)
      multi.hset(this.k('dead', id), l.messageId, JSON.stringify({ ...l, state: 'queued' }));
    await multi.exec();
    return dead.length;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
