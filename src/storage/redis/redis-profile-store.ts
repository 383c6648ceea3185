import { Redis } from 'ioredis';
import type { Consent, TagChange } from '../../domain/tag.js';
import type { ComputedTag } from '../../profiles/compute-tags.js';
import { planTagChanges, type StoredTag } from '../../profiles/plan-tag-changes.js';
import type { ConversationSignals } from '../../profiles/signals.js';
import { InvalidQueryError, StoreUnavailableError } from '../errors.js';
import {
  decodeFeedCursor,
  encodeFeedCursor,
  FeedGoneError,
  type ApplyResult,
  type CustomerState,
  type FeedPage,
  type ProfileStore,
} from '../profile-store.js';

const MAX_OPTIMISTIC_RETRIES = 50;
/** Attempts of a whole job's customers together before each customer goes alone. */
const BATCH_ATTEMPTS = 3;

/**
 * Profiles in the distributed mode, in the queue's Redis. Every worker and API process shares them.
 *
 * A tag change and its feed entry are one atomic step: the customers' keys are WATCHed (all of a
 * job's customers together), the plans are computed, and MULTI/EXEC writes the tags, the versions and
 * the XADDs to the feed stream together (a concurrent writer makes EXEC fail and the step is retried). Redis assigns stream ids at EXEC, in
 * order, and an entry is visible as soon as it exists, so a reader resuming after the last id it saw
 * gets every later change exactly once. Durability is Redis's: run it with AOF (docs/PROFILES.md).
 */
export class RedisProfileStore implements ProfileStore {
  private readonly redis: Redis;
  /** WATCH state belongs to a connection: optimistic transactions get their own, one at a time each. */
  private readonly pool: { client: Redis; busy: Promise<unknown> }[];

  constructor(
    url: string,
    private readonly prefix: string,
    poolSize = 4,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
    this.pool = Array.from({ length: poolSize }, () => ({
      client: new Redis(url, { maxRetriesPerRequest: 3 }),
      busy: Promise.resolve(),
    }));
    for (const c of [this.redis, ...this.pool.map((p) => p.client)]) c.on('error', () => undefined);
  }

  private k(...parts: string[]): string {
    return `${this.prefix}:profiles:${parts.join(':')}`;
  }

  async putSignals(signals: ConversationSignals[]): Promise<Map<string, number>> {
    const touched = new Map<string, number>();
    if (signals.length === 0) return touched;
    const former = await this.redis.mget(...signals.map((s) => this.k('owner', s.conversationId)));
    const multi = this.redis.multi();
    // Where each customer's INCR reply (and the legacy revision after it) sits among the MULTI's replies.
    const revisionReplies: [customer: string, reply: number][] = [];
    let replies = 0;
    signals.forEach((s, i) => {
      const previous = former[i];
      if (previous && previous !== s.customerId) {
        multi.hdel(this.k('signals', previous), s.conversationId);
        replies++;
      }
      multi.set(this.k('owner', s.conversationId), s.customerId);
      multi.hset(this.k('signals', s.customerId), s.conversationId, JSON.stringify(s));
      replies += 2;
      for (const customer of new Set([s.customerId, ...(previous ? [previous] : [])])) {
        multi.incr(this.k('rev', customer)).hget(this.k('meta', customer), 'revision');
        revisionReplies.push([customer, replies]);
        replies += 2;
      }
    });
    const results = await this.exec(multi);
    for (const [customer, reply] of revisionReplies)
      touched.set(customer, Number(results[reply]) + Number(results[reply + 1] ?? 0));
    return touched;
  }

  async load(customerId: string): Promise<{ signals: ConversationSignals[]; state: CustomerState }> {
    const [signals, meta, tags, revision] = (await this.exec(
      this.redis
        .multi()
        .hvals(this.k('signals', customerId))
        .hgetall(this.k('meta', customerId))
        .hgetall(this.k('tags', customerId))
        .get(this.k('rev', customerId)),
    )) as [string[], Record<string, string>, Record<string, string>, string | null];
    return {
      signals: signals.map((s) => JSON.parse(s) as ConversationSignals),
      state: toState(customerId, meta, tags, revision),
    };
  }

  async loadState(customerId: string): Promise<CustomerState> {
    const [meta, tags, revision] = (await this.exec(
      this.redis
        .multi()
        .hgetall(this.k('meta', customerId))
        .hgetall(this.k('tags', customerId))
        .get(this.k('rev', customerId)),
    )) as [Record<string, string>, Record<string, string>, string | null];
    return toState(customerId, meta, tags, revision);
  }

  async applyTags(
    customerId: string,
    computed: ComputedTag[],
    revision: number,
    at: string,
  ): Promise<ApplyResult> {
    return this.withConnection(async (client) => {
      for (let attempt = 0; attempt < MAX_OPTIMISTIC_RETRIES; attempt++) {
        const results = await this.applyOptimistic(client, [{ customerId, computed, revision }], at);
        if (results) return results[0]!;
        // a concurrent writer touched this customer: plan again
      }
      throw new StoreUnavailableError(
        `The profile of one customer kept changing under ${MAX_OPTIMISTIC_RETRIES} attempts to update it; the job will retry`,
      );
    });
  }

  async applyMany(
    items: { customerId: string; computed: ComputedTag[]; revision: number }[],
    at: string,
  ): Promise<ApplyResult[]> {
    if (items.length <= 1)
      return Promise.all(items.map((i) => this.applyTags(i.customerId, i.computed, i.revision, at)));
    // All the job's customers in one optimistic transaction (WATCH, one pipelined read, MULTI/EXEC: three
    // round trips instead of three per customer). A concurrent tag update of any of them discards it
    // whole: planned again from what is stored, then, after BATCH_ATTEMPTS, customer by customer.
    const together = await this.withConnection(async (client) => {
      for (let attempt = 0; attempt < BATCH_ATTEMPTS; attempt++) {
        const results = await this.applyOptimistic(client, items, at);
        if (results) return results;
      }
      return undefined;
    });
    return (
      together ?? Promise.all(items.map((i) => this.applyTags(i.customerId, i.computed, i.revision, at)))
    );
  }

  /**
   * One optimistic transaction over these customers: WATCH their keys, read them, plan each
   * (planTagChanges), write the tags, versions and feed entries in one MULTI/EXEC. Resolves to
   * undefined, with nothing written, when a concurrent writer touched any of them.
   */
  private async applyOptimistic(
    client: Redis,
    items: { customerId: string; computed: ComputedTag[]; revision: number }[],
    at: string,
  ): Promise<ApplyResult[] | undefined> {
    const keys = items.map((i) => ({
      meta: this.k('meta', i.customerId),
      tags: this.k('tags', i.customerId),
    }));
    await client.watch(...keys.flatMap((k) => [k.meta, k.tags]));
    const read = client.pipeline();
    for (const k of keys) read.hgetall(k.meta).hgetall(k.tags);
    const stored = await this.exec(read).catch(async (err: unknown) => {
      await client.unwatch().catch(() => undefined); // the connection's next transaction starts clean
      throw err;
    });
    const multi = client.multi();
    const plans = items.map((item, i) => {
      const { customerId } = item;
      const meta = stored[2 * i] as Record<string, string>;
      const applied = Number(meta.appliedRevision ?? 0);
      if (item.revision < applied) return undefined; // stale: a newer computation was applied
      const state = toState(customerId, meta, stored[2 * i + 1] as Record<string, string>);
      const plan = planTagChanges(
        customerId,
        new Map(state.tags.map((t) => [t.tag.key, t])),
        item.computed,
        state.version,
        at,
      );
      const { meta: metaKey, tags: tagsKey } = keys[i]!;
      for (const w of plan.writes) {
        multi.hset(tagsKey, w.tag.key, JSON.stringify(w));
        if (w.tag.status === 'active') {
          multi.zadd(this.k('index', w.tag.key), 0, customerId);
          multi.zadd(this.k('expiry'), Date.parse(w.tag.validUntil), `${customerId}\u0000${w.tag.key}`);
        } else {
          multi.zrem(this.k('index', w.tag.key), customerId);
          multi.zrem(this.k('expiry'), `${customerId}\u0000${w.tag.key}`);
        }
      }
      for (const key of plan.deletes) {
        multi.hdel(tagsKey, key);
        multi.zrem(this.k('index', key), customerId);
        multi.zrem(this.k('expiry'), `${customerId}\u0000${key}`);
      }
      if (plan.writes.length || plan.deletes.length) multi.zadd(this.k('customers'), 0, customerId);
      multi.hset(metaKey, 'version', plan.version, 'appliedRevision', Math.max(item.revision, applied));
      return plan;
    });
    if (plans.every((p) => p === undefined)) {
      await client.unwatch();
      return items.map(() => ({ changes: [], stale: true }));
    }
    // Feed entries last, customer after customer, each customer's in order: their ids are the last replies.
    const changes = plans.flatMap((p) => p?.changes ?? []);
    for (const c of changes) multi.xadd(this.k('feed'), '*', ...feedFields(c));
    const results = await multi.exec();
    if (results === null) return undefined;
    const ids = results.slice(results.length - changes.length).map(([err, id]) => {
      if (err)
        throw new StoreUnavailableError(`Redis refused a profile write: ${err.message}`, { cause: err });
      return String(id);
    });
    let next = 0;
    return plans.map((p) =>
      p === undefined
        ? { changes: [], stale: true }
        : { changes: p.changes.map((c) => ({ ...c, id: ids[next++]! })), stale: false },
    );
  }

  async setConsent(customerId: string, consent: Consent): Promise<number> {
    const [, revision, legacy] = (await this.exec(
      this.redis
        .multi()
        .hset(this.k('meta', customerId), 'consent', JSON.stringify(consent))
        .incr(this.k('rev', customerId))
        .hget(this.k('meta', customerId), 'revision'),
    )) as [number, number, string | null];
    return Number(revision) + Number(legacy ?? 0);
  }

  async customersWithTag(key: string, limit: number, after?: string): Promise<string[]> {
    return this.redis.zrangebylex(this.k('index', key), after ? `(${after}` : '-', '+', 'LIMIT', 0, limit);
  }

  async dueForExpiry(before: string, limit: number): Promise<string[]> {
    const members = await this.redis.zrangebyscore(
      this.k('expiry'),
      '-inf',
      Date.parse(before),
      'LIMIT',
      0,
      limit * 4,
    );
    return [...new Set(members.map((m) => m.split('\u0000')[0]!))].slice(0, limit);
  }

  async feed(cursor: string | undefined, limit: number): Promise<FeedPage> {
    const after = cursor === undefined ? undefined : decodeFeedCursor('r', cursor);
    if (after !== undefined && !/^\d+-\d+$/.test(after))
      throw new InvalidQueryError('cursor: not a cursor this feed gave out');
    const lastTrimmed = await this.redis.get(this.k('feed-last-trimmed'));
    if (after !== undefined && lastTrimmed && compareIds(after, lastTrimmed) < 0) {
      throw new FeedGoneError(
        'cursor: the changes after this cursor are older than the feed keeps; read GET /v1/tag-feed/snapshot and continue from its cursor',
      );
    }
    const entries = await this.redis.xrange(
      this.k('feed'),
      after ? `(${after}` : '-',
      '+',
      'COUNT',
      limit + 1,
    );
    const page = entries.slice(0, limit);
    const last = page.length ? page[page.length - 1]![0] : (after ?? '0-0');
    return {
      changes: page.map(([id, fields]) => toChange(id, fields)),
      cursor: encodeFeedCursor('r', last),
      hasMore: entries.length > limit,
    };
  }

  async feedHead(): Promise<string> {
    const last = await this.redis.xrevrange(this.k('feed'), '+', '-', 'COUNT', 1);
    return encodeFeedCursor('r', last[0]?.[0] ?? '0-0');
  }

  async customers(limit: number, after?: string): Promise<string[]> {
    return this.redis.zrangebylex(this.k('customers'), after ? `(${after}` : '-', '+', 'LIMIT', 0, limit);
  }

  async trimFeed(before: string): Promise<number> {
    // Retention counts by the change's own time (as SQLite does), read from the head of the stream.
    let lastRemoved: string | undefined;
    let start = '-';
    scan: for (;;) {
      const entries = await this.redis.xrange(this.k('feed'), start, '+', 'COUNT', 500);
      for (const [id, fields] of entries) {
        if (toChange(id, fields).at >= before) break scan;
        lastRemoved = id;
      }
      if (entries.length < 500) break;
      start = `(${entries[entries.length - 1]![0]}`;
    }
    if (!lastRemoved) return 0;
    // Recorded first: a reader whose cursor is before the last removed entry has lost changes.
    const current = await this.redis.get(this.k('feed-last-trimmed'));
    if (!current || compareIds(lastRemoved, current) > 0)
      await this.redis.set(this.k('feed-last-trimmed'), lastRemoved);
    const [ms, seq] = lastRemoved.split('-');
    return this.redis.xtrim(this.k('feed'), 'MINID', `${ms}-${Number(seq) + 1}`);
  }

  async erase(customerId: string, at: string): Promise<TagChange[]> {
    return this.withConnection(async (client) => {
      const metaKey = this.k('meta', customerId);
      const tagsKey = this.k('tags', customerId);
      for (let attempt = 0; attempt < MAX_OPTIMISTIC_RETRIES; attempt++) {
        await client.watch(metaKey, tagsKey, this.k('rev', customerId), this.k('signals', customerId));
        const [meta, tags, conversations] = await Promise.all([
          client.hgetall(metaKey),
          client.hgetall(tagsKey),
          client.hkeys(this.k('signals', customerId)),
        ]);
        const state = toState(customerId, meta, tags);
        let version = state.version;
        const tombstones = state.tags.map((t) => ({
          customerId,
          key: t.tag.key,
          change: 'deleted' as const,
          version: ++version,
          at,
        }));
        const multi = client.multi();
        for (const t of state.tags) {
          multi.zrem(this.k('index', t.tag.key), customerId);
          multi.zrem(this.k('expiry'), `${customerId}\u0000${t.tag.key}`);
        }
        for (const conversationId of conversations) multi.del(this.k('owner', conversationId));
        multi.del(tagsKey, metaKey, this.k('signals', customerId), this.k('rev', customerId));
        multi.zrem(this.k('customers'), customerId);
        multi.hset(this.k('erasures'), customerId, at);
        for (const c of tombstones) multi.xadd(this.k('feed'), '*', ...feedFields(c));
        const results = await multi.exec();
        if (results === null) continue;
        const ids = results.slice(results.length - tombstones.length).map(([, id]) => String(id));
        return tombstones.map((c, i) => ({ ...c, id: ids[i]! }));
      }
      throw new StoreUnavailableError('The profile kept changing while it was being erased; try again');
    });
  }

  async erasedAt(customerId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.k('erasures'), customerId)) ?? undefined;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.redis.quit(), ...this.pool.map((p) => p.client.quit())]);
  }

  private next = 0;

  /** Round robin over the pool; each connection runs one optimistic transaction at a time. */
  private async withConnection<T>(work: (client: Redis) => Promise<T>): Promise<T> {
    const chosen = this.pool[this.next++ % this.pool.length]!;
    const run = chosen.busy.then(() => work(chosen.client));
    chosen.busy = run.catch(() => undefined);
    return run;
  }

  private async exec(multi: ReturnType<Redis['multi']>): Promise<unknown[]> {
    const results = await multi.exec();
    if (results === null) throw new StoreUnavailableError('Redis discarded a profile transaction');
    return results.map(([err, value]) => {
      if (err)
        throw new StoreUnavailableError(`Redis refused a profile write: ${err.message}`, { cause: err });
      return value;
    });
  }
}

/**
 * `revision` counts in its own key (`rev`), outside the WATCHed meta hash, so recording new signals
 * never discards a concurrent tag update (the refusal of stale computations rests on appliedRevision,
 * which only tag updates write). `meta.revision` is where it counted before: frozen, added on.
 */
function toState(
  customerId: string,
  meta: Record<string, string>,
  tags: Record<string, string>,
  revision: string | null = null,
): CustomerState {
  return {
    customerId,
    version: Number(meta.version ?? 0),
    revision: Number(meta.revision ?? 0) + Number(revision ?? 0),
    consent: meta.consent ? (JSON.parse(meta.consent) as Consent) : {},
    tags: Object.values(tags)
      .map((t) => JSON.parse(t) as StoredTag)
      .sort((a, b) => (a.tag.key < b.tag.key ? -1 : 1)),
  };
}

function feedFields(c: Omit<TagChange, 'id'>): string[] {
  return [
    'c',
    c.customerId,
    'k',
    c.key,
    'x',
    c.change,
    'v',
    String(c.version),
    'at',
    c.at,
    ...(c.tag ? ['t', JSON.stringify(c.tag)] : []),
  ];
}

function toChange(id: string, fields: string[]): TagChange {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  return {
    id,
    customerId: f.c ?? '',
    key: f.k ?? '',
    change: (f.x ?? 'updated') as TagChange['change'],
    version: Number(f.v ?? 0),
    at: f.at ?? '',
    ...(f.t ? { tag: JSON.parse(f.t) as TagChange['tag'] } : {}),
  };
}

function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am - bm || as - bs;
}
