import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TagChange } from '../../../src/domain/tag.js';
import type { JobQueue } from '../../../src/queue/types.js';
import type { FeedPage } from '../../../src/storage/profile-store.js';
import { SqliteWebhookStore } from '../../../src/storage/sqlite/sqlite-webhook-store.js';
import { AddressGuard } from '../../../src/webhooks/address-guard.js';
import { verify } from '../../../src/webhooks/signature.js';
import type { SendResult } from '../../../src/webhooks/webhook-sender.js';
import { WebhookService } from '../../../src/webhooks/webhook-service.js';
import { memoryLogger } from '../../helpers/silent-logger.js';

/** An in-memory tag feed whose cursor is the number of changes read. */
class FakeFeed {
  changes: TagChange[] = [];
  add(key: string, customerId = 'C1'): void {
    const n = this.changes.length + 1;
    this.changes.push({
      id: `c${n}`,
      customerId,
      key,
      change: 'entered',
      version: n,
      at: new Date().toISOString(),
    });
  }
  async feed(cursor: string | undefined, limit: number): Promise<FeedPage> {
    const from = Number(cursor ?? 0);
    const changes = this.changes.slice(from, from + limit);
    return {
      changes,
      cursor: String(from + changes.length),
      hasMore: from + changes.length < this.changes.length,
    };
  }
  async *snapshot(): AsyncGenerator<{ cursor: string }> {
    yield { cursor: String(this.changes.length) };
  }
}

interface Received {
  id: string;
  body: string;
  ok: boolean;
}

function setup(options: { maxAttempts?: number } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-webhook-unit-'));
  const store = new SqliteWebhookStore(dir);
  const feed = new FakeFeed();
  const enqueued: { jobId: string; delayMs?: number }[] = [];
  const queue = {
    enqueue: async (_name: string, jobId: string, _data: unknown, opts: { delayMs?: number } = {}) => {
      enqueued.push({ jobId, ...(opts.delayMs !== undefined ? { delayMs: opts.delayMs } : {}) });
    },
  } as unknown as JobQueue;
  const answers: SendResult[] = [];
  const received: Received[] = [];
  let secret = '';
  const service = new WebhookService({
    store,
    feed,
    queue,
    guard: new AddressGuard(['127.0.0.1']),
    send: async (_url, headers, body) => {
      const answer = answers.shift() ?? { status: 200 };
      assert.ok(
        verify(
          {
            id: headers['webhook-id']!,
            timestamp: headers['webhook-timestamp']!,
            signature: headers['webhook-signature']!,
          },
          body,
          secret,
        ),
        'every delivery is signed',
      );
      received.push({ id: headers['webhook-id']!, body, ok: answer.status === 200 });
      return answer;
    },
    logger: memoryLogger('warn').logger,
    maxAttempts: options.maxAttempts ?? 3,
    backoffMs: 1,
  });
  const create = async (keys?: string[]) => {
    const hook = await service.create({ url: 'http://127.0.0.1:9/hook', ...(keys ? { keys } : {}) });
    secret = hook.secret;
    return hook;
  };
  const cleanup = async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { service, store, feed, enqueued, answers, received, create, cleanup };
}

const keysOf = (received: Received[]) =>
  received.filter((r) => r.ok).map((r) => (JSON.parse(r.body) as TagChange).key);

describe('WebhookService', () => {
  it('sends the changes after its creation, in order, one per POST, only the subscribed prefixes', async () => {
    const t = setup();
    t.feed.add('need.deposit');
    const hook = await t.create(['need.', 'consent.']);
    t.feed.add('need.mortgage');
    t.feed.add('complaint.fees');
    t.feed.add('consent.do_not_market');
    t.feed.add('need.wealth');
    await t.service.notify(t.feed.changes.slice(1));
    assert.ok(t.enqueued.some((j) => j.jobId.startsWith(`webhook-${hook.id}-`)));
    const result = await t.service.deliver(hook.id);
    assert.equal(result.sent, 3);
    assert.deepEqual(keysOf(t.received), ['need.mortgage', 'consent.do_not_market', 'need.wealth']);
    assert.equal((await t.store.progress(hook.id))?.cursor, '5');
    const log = await t.service.deliveries(hook.id, 10);
    assert.deepEqual(
      log.map((a) => [a.key, a.outcome, a.status]),
      [
        ['need.wealth', 'delivered', 200],
        ['consent.do_not_market', 'delivered', 200],
        ['need.mortgage', 'delivered', 200],
      ],
    );
    assert.equal((await t.service.deliver(hook.id)).sent, 0, 'nothing is sent twice');
    await t.cleanup();
  });

  it('retries a failed change with backoff and the same webhook-id before moving on', async () => {
    const t = setup();
    const hook = await t.create();
    t.feed.add('need.mortgage');
    t.feed.add('life.home_purchase');
    t.answers.push({ status: 500, error: 'HTTP 500' }, { error: 'ECONNRESET: socket hang up' });
    await t.service.deliver(hook.id);
    const retry = t.enqueued.find((j) => j.jobId.includes('-retry-'));
    assert.ok(retry && retry.delayMs !== undefined && retry.delayMs >= 0);
    assert.equal((await t.store.progress(hook.id))?.pending?.attempts, 1);
    await t.service.deliver(hook.id);
    await t.service.deliver(hook.id);
    assert.deepEqual(keysOf(t.received), ['need.mortgage', 'life.home_purchase']);
    const ids = t.received.map((r) => r.id);
    assert.equal(ids[0], ids[1]);
    assert.equal(ids[1], ids[2], 'every attempt of one change has the same webhook-id');
    const log = await t.service.deliveries(hook.id, 10);
    assert.deepEqual(log.map((a) => [a.key, a.attempt, a.outcome]).reverse(), [
      ['need.mortgage', 1, 'failed'],
      ['need.mortgage', 2, 'failed'],
      ['need.mortgage', 3, 'delivered'],
      ['life.home_purchase', 1, 'delivered'],
    ]);
    await t.cleanup();
  });

  it('dead-letters a change after its attempts, moves on, and replays it on request', async () => {
    const t = setup({ maxAttempts: 2 });
    const hook = await t.create();
    t.feed.add('need.mortgage');
    t.feed.add('need.wealth');
    t.answers.push({ status: 503, error: 'HTTP 503' }, { status: 503, error: 'HTTP 503' });
    await t.service.deliver(hook.id);
    await t.service.deliver(hook.id);
    assert.deepEqual(keysOf(t.received), ['need.wealth']);
    const dead = await t.service.deadLetters(hook.id);
    assert.deepEqual(
      dead.map((d) => [d.change.key, d.attempts, d.state, d.lastError]),
      [['need.mortgage', 2, 'dead', 'HTTP 503']],
    );
    assert.deepEqual(await t.service.replay(hook.id), { queued: 1 });
    await t.service.deliver(hook.id);
    assert.deepEqual(keysOf(t.received), ['need.wealth', 'need.mortgage']);
    assert.deepEqual(await t.service.deadLetters(hook.id), []);
    assert.equal((await t.service.deliveries(hook.id, 1))[0]?.replay, true);
    await t.cleanup();
  });

  it('stops sending to a receiver that answers 410 Gone', async () => {
    const t = setup();
    const hook = await t.create();
    t.feed.add('need.mortgage');
    t.feed.add('need.wealth');
    t.answers.push({ status: 410, error: 'HTTP 410' });
    await t.service.deliver(hook.id);
    await t.service.deliver(hook.id);
    assert.equal(t.received.length, 1);
    assert.equal((await t.service.get(hook.id)).status, 'disabled');
    await t.cleanup();
  });

  it('lets one sender at a time deliver for a receiver', async () => {
    const t = setup();
    const hook = await t.create();
    for (let i = 0; i < 5; i++) t.feed.add(`need.n${i}`);
    const results = await Promise.all([t.service.deliver(hook.id), t.service.deliver(hook.id)]);
    assert.deepEqual(keysOf(t.received), ['need.n0', 'need.n1', 'need.n2', 'need.n3', 'need.n4']);
    assert.equal(results.filter((r) => r.busy).length, 1);
    await t.cleanup();
  });

  it('never shows the secret after creation and names what is wrong with a refused URL', async () => {
    const t = setup();
    const hook = await t.create();
    assert.match(hook.secret, /^whsec_/);
    assert.equal('secret' in (await t.service.list())[0]!, false);
    await assert.rejects(
      t.service.create({ url: 'http://10.0.0.1/hook' }),
      (err: Error & { details?: unknown[] }) => {
        assert.match(JSON.stringify(err.details), /body\.url.*WEBHOOK_ALLOW_HOSTS/);
        return true;
      },
    );
    await t.cleanup();
  });
});
