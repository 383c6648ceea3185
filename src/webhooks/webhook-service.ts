import { createHash, randomUUID } from 'node:crypto';
import type { TagChange } from '../domain/tag.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { FeedPage } from '../storage/profile-store.js';
import { FeedGoneError } from '../storage/profile-store.js';
import type { DeadLetter, DeliveryAttempt, Webhook, WebhookStore } from '../storage/webhook-store.js';
import type { JobQueue } from '../queue/types.js';
import { WebhookAddressError, type AddressGuard } from './address-guard.js';
import { generateSecret, messageId, sign } from './signature.js';
import type { Send, SendResult } from './webhook-sender.js';

/** What the delivery job reads: the tag feed (ProfileService implements it). */
export interface TagFeedReader {
  feed(cursor: string | undefined, limit: number): Promise<FeedPage>;
  snapshot(): AsyncGenerator<{ cursor: string } | object>;
}

export interface WebhookServiceDeps {
  store: WebhookStore;
  feed: TagFeedReader;
  queue: JobQueue;
  guard: AddressGuard;
  send: Send;
  logger: Logger;
  /** Attempts per change before it goes to the dead-letter list. */
  maxAttempts: number;
  /** First retry delay; doubles per attempt (with ±10 % jitter) up to an hour. */
  backoffMs: number;
}

export type WebhookView = Omit<Webhook, 'secret'>;

const LEASE_MS = 60_000;
const CHANGES_PER_RUN = 50;
const KEEP_ATTEMPTS = 1000;
const MAX_DELAY_MS = 3600_000;

/** One thing to send: the next change of the feed, or a dead letter a replay queued. */
type Item =
  | { kind: 'feed'; change: TagChange; from: string | undefined; to: string }
  | { kind: 'replay'; change: TagChange; letter: DeadLetter };

/**
 * Webhooks: each subscription reads the tag feed from its own stored cursor, and one delivery job at
 * a time per subscription (a lease) posts the next matching change, one POST per change, signed as
 * Standard Webhooks says. The cursor moves on only after a 2xx (or when the change goes to the
 * dead-letter list), so every change reaches the receiver in feed order; a crash between the 2xx and
 * the cursor write re-sends that change with the same `webhook-id`, which the receiver dedupes.
 */
export class WebhookService {
  constructor(private readonly deps: WebhookServiceDeps) {}

  /** Registers a receiver; the secret is shown only in this answer. Starts at the feed's head. */
  async create(input: { url: string; keys?: string[] }): Promise<WebhookView & { secret: string }> {
    let url: URL;
    try {
      url = await this.deps.guard.checkUrl(input.url);
    } catch (err) {
      if (err instanceof WebhookAddressError)
        throw new ValidationError('The webhook URL is not accepted', [
          { where: 'body.url', message: err.message },
        ]);
      throw err;
    }
    const webhook: Webhook = {
      id: `wh_${randomUUID().replace(/-/g, '')}`,
      url: url.toString(),
      keys: [...new Set(input.keys ?? [])],
      secret: generateSecret(),
      createdAt: new Date().toISOString(),
      status: 'active',
    };
    await this.deps.store.create(webhook, { cursor: await this.feedHead() });
    this.deps.logger.info({ webhookId: webhook.id, host: url.host }, 'webhook created');
    return webhook;
  }

  async list(): Promise<WebhookView[]> {
    return (await this.deps.store.list()).map(view);
  }

  async get(id: string): Promise<WebhookView> {
    return view(await this.require(id));
  }

  async delete(id: string): Promise<void> {
    if (!(await this.deps.store.delete(id))) throw new NotFoundError(`Webhook ${id}`);
  }

  /** The delivery log, newest first. */
  async deliveries(id: string, limit: number): Promise<DeliveryAttempt[]> {
    await this.require(id);
    return this.deps.store.attempts(id, limit);
  }

  async deadLetters(id: string): Promise<DeadLetter[]> {
    await this.require(id);
    return this.deps.store.deadLetters(id);
  }

  /** Queues every dead letter for another round of attempts (before the feed's next changes). */
  async replay(id: string): Promise<{ queued: number }> {
    const webhook = await this.require(id);
    const queued = await this.deps.store.queueDeadLetters(id);
    if (queued > 0 && webhook.status === 'active') await this.trigger(id, `replay-${randomUUID()}`);
    return { queued };
  }

  /** The ProfileService hook: queues delivery for every receiver interested in these changes. */
  async notify(changes: TagChange[]): Promise<void> {
    if (changes.length === 0) return;
    const stamp = hash(changes.map((c) => c.id).join('\n'));
    for (const webhook of await this.deps.store.list()) {
      if (webhook.status === 'active' && changes.some((c) => matches(webhook, c)))
        await this.trigger(webhook.id, stamp);
    }
  }

  /** The safety net (repeatable job): queues delivery for every receiver with something to send. */
  async sweep(): Promise<{ queued: number }> {
    let queued = 0;
    for (const webhook of await this.deps.store.list()) {
      if (webhook.status !== 'active') continue;
      const progress = (await this.deps.store.progress(webhook.id)) ?? {};
      if (progress.retryAt && progress.retryAt > Date.now()) continue;
      if (await this.hasWork(webhook.id, progress.cursor)) {
        await this.trigger(webhook.id, `sweep-${Date.now()}`);
        queued++;
      }
    }
    return { queued };
  }

  /**
   * The `webhook-delivery` job for one receiver: sends up to CHANGES_PER_RUN changes in order, stops at
   * the first failure (the retry is queued with its backoff), and queues a follow-up if more remain.
   */
  async deliver(webhookId: string): Promise<{ sent: number; busy?: boolean }> {
    const owner = randomUUID();
    const { store } = this.deps;
    if (!(await store.lease(webhookId, owner, LEASE_MS))) return { sent: 0, busy: true };
    let sent = 0;
    try {
      const webhook = await store.get(webhookId);
      if (!webhook || webhook.status !== 'active') return { sent };
      const waitMs = ((await store.progress(webhookId))?.retryAt ?? 0) - Date.now();
      if (waitMs > 2000) return { sent }; // its delayed retry job is queued
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
      for (; sent < CHANGES_PER_RUN; sent++) {
        if (!(await store.lease(webhookId, owner, LEASE_MS))) return { sent };
        const item = await this.next(webhook);
        if (!item) break;
        if (!(await this.attempt(webhook, item))) return { sent };
      }
    } finally {
      await store.release(webhookId, owner);
    }
    // Checked after the release: a trigger refused while we held the lease is picked up here.
    const progress = (await store.progress(webhookId)) ?? {};
    if (sent === CHANGES_PER_RUN || (!progress.retryAt && (await this.hasWork(webhookId, progress.cursor))))
      await this.trigger(webhookId, `more-${hash(progress.cursor ?? '')}-${sent}`);
    return { sent };
  }

  private async next(webhook: Webhook): Promise<Item | undefined> {
    const queued = (await this.deps.store.deadLetters(webhook.id)).find((l) => l.state === 'queued');
    if (queued) return { kind: 'replay', change: queued.change, letter: queued };
    for (;;) {
      const from = (await this.deps.store.progress(webhook.id))?.cursor;
      let page: FeedPage;
      try {
        page = await this.deps.feed.feed(from, 200);
      } catch (err) {
        if (!(err instanceof FeedGoneError)) throw err;
        // The receiver was unreachable longer than the feed keeps changes: it must take a snapshot.
        this.deps.logger.error(
          { webhookId: webhook.id },
          'webhook fell behind the tag feed retention; resuming at its head',
        );
        await this.deps.store.saveProgress(webhook.id, from, { cursor: await this.feedHead() });
        continue;
      }
      const index = page.changes.findIndex((c) => matches(webhook, c));
      if (index < 0) {
        if (page.changes.length === 0) return undefined;
        if (!(await this.deps.store.saveProgress(webhook.id, from, { cursor: page.cursor })))
          return undefined;
        if (!page.hasMore) return undefined;
        continue;
      }
      const upTo = index === page.changes.length - 1 ? page : await this.deps.feed.feed(from, index + 1);
      const change = upTo.changes[upTo.changes.length - 1]!;
      return { kind: 'feed', change, from, to: upTo.cursor };
    }
  }

  /** One attempt at one item; false when this run must stop (a retry is scheduled, or it lost the lease). */
  private async attempt(webhook: Webhook, item: Item): Promise<boolean> {
    const { store } = this.deps;
    const progress = (await store.progress(webhook.id)) ?? {};
    const previous = progress.pending?.changeId === item.change.id ? progress.pending.attempts : 0;
    const attempt = previous + 1;
    const id = messageId(webhook.id, item.change.id);
    const body = JSON.stringify(item.change);
    const timestamp = Math.floor(Date.now() / 1000);
    const started = Date.now();
    const result = await this.deps.send(
      webhook.url,
      {
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': sign(id, timestamp, body, webhook.secret),
      },
      body,
    );
    const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
    const entry = (outcome: DeliveryAttempt['outcome']): DeliveryAttempt => ({
      messageId: id,
      changeId: item.change.id,
      customerId: item.change.customerId,
      key: item.change.key,
      attempt,
      at: new Date(started).toISOString(),
      outcome,
      ...(result.status !== undefined ? { status: result.status } : {}),
      ...(result.error ? { error: result.error } : {}),
      durationMs: Date.now() - started,
      ...(item.kind === 'replay' ? { replay: true } : {}),
    });
    const moveOn = async (): Promise<boolean> => {
      if (item.kind === 'replay')
        return store.saveProgress(webhook.id, progress.cursor, { ...cursorOf(progress) });
      return store.saveProgress(webhook.id, item.from, { cursor: item.to });
    };
    if (ok) {
      if (item.kind === 'replay') await store.removeDeadLetter(webhook.id, item.letter.messageId);
      const moved = await moveOn();
      await store.logAttempt(webhook.id, entry('delivered'), KEEP_ATTEMPTS);
      return moved;
    }
    if (result.status === 410) {
      await store.setStatus(webhook.id, 'disabled');
      await store.logAttempt(
        webhook.id,
        { ...entry('failed'), error: 'HTTP 410 Gone: the receiver asked to stop; webhook disabled' },
        KEEP_ATTEMPTS,
      );
      this.deps.logger.warn(
        { webhookId: webhook.id },
        'webhook receiver answered 410 Gone; webhook disabled',
      );
      return false;
    }
    const failure = result.refused ? 'refused' : 'failed';
    if (attempt >= this.deps.maxAttempts) {
      await store.putDeadLetter(webhook.id, {
        messageId: id,
        change: item.change,
        attempts: attempt,
        lastError: result.error ?? 'failed',
        at: new Date().toISOString(),
        state: 'dead',
      });
      const moved = await moveOn();
      await store.logAttempt(webhook.id, entry('dead'), KEEP_ATTEMPTS);
      this.deps.logger.warn(
        { webhookId: webhook.id, messageId: id, attempts: attempt },
        'webhook delivery dead-lettered',
      );
      return moved;
    }
    const delayMs = this.retryDelay(attempt, result);
    const saved = await store.saveProgress(webhook.id, progress.cursor, {
      ...cursorOf(progress),
      pending: { changeId: item.change.id, attempts: attempt },
      retryAt: Date.now() + delayMs,
    });
    await store.logAttempt(webhook.id, entry(failure), KEEP_ATTEMPTS);
    if (saved)
      await this.deps.queue.enqueue(
        'webhook-delivery',
        `webhook-${webhook.id}-retry-${hash(item.change.id)}-${attempt}`,
        { webhookId: webhook.id },
        { delayMs },
      );
    return false;
  }

  private retryDelay(attempt: number, result: SendResult): number {
    const exponential = Math.min(this.deps.backoffMs * 2 ** (attempt - 1), MAX_DELAY_MS);
    const jittered = exponential * (0.9 + Math.random() * 0.2);
    return Math.round(Math.max(jittered, Math.min(result.retryAfterMs ?? 0, MAX_DELAY_MS)));
  }

  private async hasWork(webhookId: string, cursor: string | undefined): Promise<boolean> {
    if ((await this.deps.store.deadLetters(webhookId)).some((l) => l.state === 'queued')) return true;
    try {
      return (await this.deps.feed.feed(cursor, 1)).changes.length > 0;
    } catch (err) {
      if (err instanceof FeedGoneError) return true;
      throw err;
    }
  }

  private async trigger(webhookId: string, stamp: string): Promise<void> {
    await this.deps.queue.enqueue(
      'webhook-delivery',
      `webhook-${webhookId}-${stamp}`,
      { webhookId },
      { attempts: 3 },
    );
  }

  private async feedHead(): Promise<string> {
    const snapshot = this.deps.feed.snapshot();
    try {
      const first = await snapshot.next();
      const cursor = first.done ? undefined : (first.value as { cursor?: string }).cursor;
      if (!cursor) throw new Error('the tag feed snapshot did not start with its cursor');
      return cursor;
    } finally {
      await snapshot.return(undefined);
    }
  }

  private async require(id: string): Promise<Webhook> {
    const webhook = await this.deps.store.get(id);
    if (!webhook) throw new NotFoundError(`Webhook ${id}`);
    return webhook;
  }
}

/** Whether a change concerns a receiver: no prefixes means every change. */
export function matches(webhook: Pick<Webhook, 'keys'>, change: Pick<TagChange, 'key'>): boolean {
  return webhook.keys.length === 0 || webhook.keys.some((prefix) => change.key.startsWith(prefix));
}

function cursorOf(progress: { cursor?: string }): { cursor?: string } {
  return progress.cursor !== undefined ? { cursor: progress.cursor } : {};
}

function view({ secret: _secret, ...rest }: Webhook): WebhookView {
  return rest;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}
