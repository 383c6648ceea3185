/** The behaviour every WebhookStore must have (SQLite here, Redis in the integration tier). */
import assert from 'node:assert/strict';
import type { TagChange } from '../../src/domain/tag.js';
import type { DeadLetter, DeliveryAttempt, Webhook, WebhookStore } from '../../src/storage/webhook-store.js';

const hook = (id: string, createdAt: string): Webhook => ({
  id,
  url: 'https://crm.example.com/hooks/voc',
  keys: ['need.', 'consent.do_not_market'],
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  createdAt,
  status: 'active',
});

const change = (n: number): TagChange => ({
  id: `s1:${n}`,
  customerId: 'CUST-1',
  key: 'need.mortgage',
  change: 'entered',
  version: n,
  at: '2026-03-02T10:00:00.000Z',
});

const attempt = (n: number): DeliveryAttempt => ({
  messageId: `msg_${n}`,
  changeId: `s1:${n}`,
  customerId: 'CUST-1',
  key: 'need.mortgage',
  attempt: 1,
  at: '2026-03-02T10:00:00.000Z',
  outcome: 'delivered',
  status: 200,
  durationMs: 3,
});

const letter = (n: number): DeadLetter => ({
  messageId: `msg_${n}`,
  change: change(n),
  attempts: 3,
  lastError: 'HTTP 500',
  at: '2026-03-02T10:00:00.000Z',
  state: 'dead',
});

export function describeWebhookStoreContract(
  name: string,
  factory: () => Promise<{ store: WebhookStore; dispose(): Promise<void> }>,
): void {
  describe(`WebhookStore contract: ${name}`, () => {
    let f: { store: WebhookStore; dispose(): Promise<void> };
    beforeEach(async () => {
      f = await factory();
    });
    afterEach(() => f.dispose());

    it('keeps subscriptions in creation order, with their status, and deletes them', async () => {
      await f.store.create(hook('wh_b', '2026-03-02T10:00:01.000Z'), { cursor: 'c0' });
      await f.store.create(hook('wh_a', '2026-03-02T10:00:02.000Z'), {});
      assert.deepEqual(
        (await f.store.list()).map((w) => w.id),
        ['wh_b', 'wh_a'],
      );
      assert.deepEqual(await f.store.get('wh_b'), hook('wh_b', '2026-03-02T10:00:01.000Z'));
      await f.store.setStatus('wh_b', 'disabled');
      assert.equal((await f.store.get('wh_b'))?.status, 'disabled');
      assert.equal(await f.store.delete('wh_b'), true);
      assert.equal(await f.store.delete('wh_b'), false);
      assert.equal(await f.store.get('wh_b'), undefined);
      assert.equal(await f.store.progress('wh_b'), undefined);
      assert.deepEqual(
        (await f.store.list()).map((w) => w.id),
        ['wh_a'],
      );
    });

    it('moves the cursor only from the position the writer read (compare-and-set)', async () => {
      await f.store.create(hook('wh_1', '2026-03-02T10:00:00.000Z'), {});
      assert.deepEqual(await f.store.progress('wh_1'), {});
      assert.equal(await f.store.saveProgress('wh_1', undefined, { cursor: 'c1' }), true);
      assert.equal(await f.store.saveProgress('wh_1', undefined, { cursor: 'c9' }), false);
      const pending = {
        cursor: 'c1',
        pending: { changeId: 's1:2', attempts: 2 },
        retryAt: 1_800_000_000_000,
      };
      assert.equal(await f.store.saveProgress('wh_1', 'c1', pending), true);
      assert.deepEqual(await f.store.progress('wh_1'), pending);
      assert.equal(await f.store.saveProgress('wh_1', 'c0', { cursor: 'c2' }), false);
      assert.equal(await f.store.saveProgress('wh_1', 'c1', { cursor: 'c2' }), true);
      assert.deepEqual(await f.store.progress('wh_1'), { cursor: 'c2' });
      assert.equal(await f.store.saveProgress('wh_unknown', undefined, { cursor: 'c1' }), false);
    });

    it('gives the lease to one owner at a time until released or expired', async () => {
      await f.store.create(hook('wh_1', '2026-03-02T10:00:00.000Z'), {});
      assert.equal(await f.store.lease('wh_1', 'a', 60_000), true);
      assert.equal(await f.store.lease('wh_1', 'b', 60_000), false);
      assert.equal(await f.store.lease('wh_1', 'a', 60_000), true, 'the owner extends it');
      await f.store.release('wh_1', 'b');
      assert.equal(await f.store.lease('wh_1', 'b', 60_000), false, 'only the owner releases');
      await f.store.release('wh_1', 'a');
      assert.equal(await f.store.lease('wh_1', 'b', 50), true);
      await new Promise((resolve) => setTimeout(resolve, 120));
      assert.equal(await f.store.lease('wh_1', 'c', 60_000), true, 'an expired lease passes on');
    });

    it('keeps the latest attempts, newest first', async () => {
      await f.store.create(hook('wh_1', '2026-03-02T10:00:00.000Z'), {});
      for (let n = 1; n <= 5; n++) await f.store.logAttempt('wh_1', attempt(n), 3);
      assert.deepEqual(
        (await f.store.attempts('wh_1', 10)).map((a) => a.messageId),
        ['msg_5', 'msg_4', 'msg_3'],
      );
      assert.deepEqual(await f.store.attempts('wh_1', 1), [attempt(5)]);
    });

    it('keeps dead letters in the order they died, queues them for replay and removes them', async () => {
      await f.store.create(hook('wh_1', '2026-03-02T10:00:00.000Z'), {});
      await f.store.putDeadLetter('wh_1', letter(1));
      await f.store.putDeadLetter('wh_1', letter(2));
      assert.deepEqual(await f.store.deadLetters('wh_1'), [letter(1), letter(2)]);
      assert.equal(await f.store.queueDeadLetters('wh_1'), 2);
      assert.equal(await f.store.queueDeadLetters('wh_1'), 0);
      assert.deepEqual(
        (await f.store.deadLetters('wh_1')).map((l) => l.state),
        ['queued', 'queued'],
      );
      await f.store.putDeadLetter('wh_1', { ...letter(1), attempts: 6 });
      assert.deepEqual(
        (await f.store.deadLetters('wh_1')).map((l) => [l.messageId, l.state, l.attempts]),
        [
          ['msg_1', 'dead', 6],
          ['msg_2', 'queued', 3],
        ],
        'a letter that dies again keeps its place',
      );
      await f.store.removeDeadLetter('wh_1', 'msg_2');
      assert.deepEqual(
        (await f.store.deadLetters('wh_1')).map((l) => l.messageId),
        ['msg_1'],
      );
      await f.store.delete('wh_1');
      assert.deepEqual(await f.store.deadLetters('wh_1'), []);
      assert.deepEqual(await f.store.attempts('wh_1', 10), []);
    });
  });
}
