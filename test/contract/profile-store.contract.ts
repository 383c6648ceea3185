import assert from 'node:assert/strict';
import type { ComputedTag } from '../../src/profiles/compute-tags.js';
import type { ConversationSignals } from '../../src/profiles/signals.js';
import { InvalidQueryError } from '../../src/storage/errors.js';
import { FeedGoneError, type ProfileStore } from '../../src/storage/profile-store.js';

const versions = { pipeline: 'p1', taxonomy: 't1', dictionary: 'd1', model: 'm1' };

export const signalsOf = (
  conversationId: string,
  customerId: string,
  keys: string[],
  at = '2026-03-10T01:30:00.000Z',
): ConversationSignals => ({
  conversationId,
  customerId,
  at,
  channel: 'call',
  versions,
  keys: Object.fromEntries(keys.map((k) => [k, [{ utterance: 1, speaker: 'customer', quote: `说到 ${k}` }]])),
  complaint: false,
  resolved: false,
});

export const computed = (key: string, status: 'active' | 'exited' = 'active', count = 1): ComputedTag => ({
  key,
  status,
  ...(status === 'exited' ? { exitReason: 'expired' } : {}),
  firstSeen: '2026-03-10T01:30:00.000Z',
  lastQualified: '2026-03-10T01:30:00.000Z',
  validUntil: status === 'active' ? '2026-04-21T01:30:00.000Z' : '2026-03-11T01:30:00.000Z',
  count,
  confidence: 0.6,
  evidence: [
    {
      conversationId: 'c1',
      utterance: 1,
      speaker: 'customer',
      quote: '想问房贷',
      at: '2026-03-10T01:30:00.000Z',
      channel: 'call',
      versions,
    },
  ],
});

const AT = '2026-03-10T04:00:00.000Z';

/** One suite for every ProfileStore: the tag feed's guarantees do not depend on the backend. */
export function describeProfileStoreContract(
  name: string,
  open: () => Promise<{ store: ProfileStore; dispose: () => Promise<void> }>,
): void {
  describe(`ProfileStore contract: ${name}`, function () {
    let store: ProfileStore;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await open());
    });
    afterEach(async () => dispose());

    it('keeps signals per conversation and bumps the revision of every customer they touch', async () => {
      const first = await store.putSignals([signalsOf('c1', 'A', ['need.mortgage'])]);
      assert.deepEqual([...first.keys()], ['A']);
      const moved = await store.putSignals([signalsOf('c1', 'B', ['need.mortgage'])]);
      assert.deepEqual([...moved.keys()].sort(), ['A', 'B'], 'the former customer must be recomputed too');
      assert.ok(moved.get('A')! > first.get('A')!);
      assert.equal((await store.load('A')).signals.length, 0);
      assert.deepEqual(
        (await store.load('B')).signals.map((s) => s.conversationId),
        ['c1'],
      );
    });

    it('reads the state alone (loadState) exactly as load reads it, for a known and an unknown customer', async () => {
      await store.putSignals([signalsOf('c1', 'A', ['need.mortgage']), signalsOf('c2', 'A', ['need.loan'])]);
      await store.applyTags('A', [computed('need.mortgage'), computed('life.home_purchase')], 1, AT);
      await store.applyTags(
        'A',
        [computed('need.mortgage'), computed('life.home_purchase', 'exited')],
        2,
        AT,
      );
      await store.setConsent('A', { marketing: true, personalisationOptOut: true, updatedAt: AT });
      const { signals, state } = await store.load('A');
      assert.equal(signals.length, 2);
      assert.deepEqual(await store.loadState('A'), state);
      assert.deepEqual(
        state.tags.map((t) => [t.tag.key, t.tag.status]),
        [
          ['life.home_purchase', 'exited'],
          ['need.mortgage', 'active'],
        ],
      );
      assert.deepEqual(await store.loadState('nobody'), (await store.load('nobody')).state);
      assert.deepEqual((await store.loadState('nobody')).tags, []);
    });

    it('writes a real change once, with a rising version, and nothing for the same computation again', async () => {
      const first = await store.applyTags(
        'A',
        [computed('need.mortgage'), computed('life.home_purchase')],
        1,
        AT,
      );
      assert.deepEqual(
        first.changes.map((c) => [c.key, c.change, c.version]),
        [
          ['need.mortgage', 'entered', 1],
          ['life.home_purchase', 'entered', 2],
        ],
      );
      const again = await store.applyTags(
        'A',
        [computed('need.mortgage'), computed('life.home_purchase')],
        1,
        AT,
      );
      assert.deepEqual(again, { changes: [], stale: false });
      const exit = await store.applyTags(
        'A',
        [computed('need.mortgage', 'exited'), computed('life.home_purchase', 'active', 2)],
        2,
        AT,
      );
      assert.deepEqual(
        exit.changes.map((c) => [c.key, c.change, c.version]),
        [
          ['need.mortgage', 'exited', 3],
          ['life.home_purchase', 'updated', 4],
        ],
      );
      const gone = await store.applyTags('A', [computed('need.mortgage', 'exited')], 3, AT);
      assert.deepEqual(
        gone.changes.map((c) => [c.key, c.change, c.tag?.exitReason]),
        [['life.home_purchase', 'exited', 'corrected']],
      );
      const state = (await store.load('A')).state;
      assert.equal(state.version, 5);
      assert.deepEqual(
        state.tags.map((t) => [t.tag.key, t.tag.status]),
        [
          ['life.home_purchase', 'exited'],
          ['need.mortgage', 'exited'],
        ],
      );
    });

    it('applies several customers at once, each with its own versions, stale ones refused', async () => {
      await store.applyTags('B', [computed('need.deposit')], 5, AT);
      const results = await store.applyMany(
        [
          { customerId: 'A', computed: [computed('need.mortgage'), computed('life.marriage')], revision: 1 },
          { customerId: 'B', computed: [], revision: 4 },
          { customerId: 'C', computed: [computed('need.mortgage')], revision: 1 },
        ],
        AT,
      );
      assert.deepEqual(
        results.map((r) => [r.stale, r.changes.map((c) => `${c.customerId}:${c.key}:${c.version}`)]),
        [
          [false, ['A:need.mortgage:1', 'A:life.marriage:2']],
          [true, []],
          [false, ['C:need.mortgage:1']],
        ],
      );
      assert.deepEqual(await store.customersWithTag('need.mortgage', 10), ['A', 'C']);
    });

    it('refuses a computation from older signals than the last one applied', async () => {
      await store.applyTags('A', [computed('need.mortgage')], 5, AT);
      const late = await store.applyTags('A', [], 4, AT);
      assert.deepEqual(late, { changes: [], stale: true });
      assert.equal((await store.load('A')).state.tags.length, 1);
    });

    it('pages customers by tag and finds tags due to expire', async () => {
      for (const c of ['C', 'A', 'B']) await store.applyTags(c, [computed('need.mortgage')], 1, AT);
      await store.applyTags('D', [computed('need.deposit')], 1, AT);
      assert.deepEqual(await store.customersWithTag('need.mortgage', 2), ['A', 'B']);
      assert.deepEqual(await store.customersWithTag('need.mortgage', 2, 'B'), ['C']);
      assert.deepEqual((await store.dueForExpiry('2026-04-20T00:00:00.000Z', 10)).sort(), []);
      assert.deepEqual((await store.dueForExpiry('2026-04-22T00:00:00.000Z', 10)).sort(), [
        'A',
        'B',
        'C',
        'D',
      ]);
      assert.deepEqual(await store.customers(10), ['A', 'B', 'C', 'D']);
    });

    it('gives every change once, in order, to a reader resuming from its cursor', async () => {
      for (let i = 0; i < 5; i++) await store.applyTags(`K${i}`, [computed('need.mortgage')], 1, AT);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await store.feed(cursor, 2);
        seen.push(...page.changes.map((c) => c.customerId));
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      assert.deepEqual(seen, ['K0', 'K1', 'K2', 'K3', 'K4']);
      assert.deepEqual((await store.feed(cursor, 10)).changes, []);
      await store.applyTags('K5', [computed('need.mortgage')], 1, AT);
      assert.deepEqual(
        (await store.feed(cursor, 10)).changes.map((c) => c.customerId),
        ['K5'],
      );
      assert.equal(await store.feedHead(), (await store.feed(cursor, 10)).cursor);
      await assert.rejects(store.feed('bm90LWEtY3Vyc29y', 10), InvalidQueryError);
    });

    it('answers a cursor older than the retained feed with FeedGoneError, and a fresh read still works', async () => {
      const start = (await store.feed(undefined, 1)).cursor;
      await store.applyTags('A', [computed('need.mortgage')], 1, '2026-01-01T00:00:00.000Z');
      const mid = await store.feedHead();
      await store.applyTags('B', [computed('need.mortgage')], 1, '2030-01-01T00:00:00.000Z');
      assert.equal(await store.trimFeed('2027-01-01T00:00:00.000Z'), 1);
      assert.equal(await store.trimFeed('2027-01-01T00:00:00.000Z'), 0);
      await assert.rejects(store.feed(start, 10), FeedGoneError);
      assert.deepEqual(
        (await store.feed(mid, 10)).changes.map((c) => c.customerId),
        ['B'],
      );
      assert.deepEqual(
        (await store.feed(undefined, 10)).changes.map((c) => c.customerId),
        ['B'],
      );
    });

    it('erases a customer: tombstones in the feed, nothing left but the erasure record', async () => {
      await store.putSignals([signalsOf('c1', 'A', ['need.mortgage'])]);
      await store.setConsent('A', { marketing: false });
      await store.applyTags('A', [computed('need.mortgage'), computed('life.home_purchase')], 2, AT);
      const tombstones = await store.erase('A', AT);
      assert.deepEqual(
        tombstones.map((c) => [c.key, c.change, c.version, c.tag]),
        [
          ['life.home_purchase', 'deleted', 3, undefined],
          ['need.mortgage', 'deleted', 4, undefined],
        ],
      );
      const { signals, state } = await store.load('A');
      assert.deepEqual([signals.length, state.tags.length, state.consent], [0, 0, {}]);
      assert.equal(await store.erasedAt('A'), AT);
      assert.deepEqual(await store.customersWithTag('need.mortgage', 10), []);
      const feed = (await store.feed(undefined, 10)).changes.map((c) => c.change);
      assert.deepEqual(feed, ['entered', 'entered', 'deleted', 'deleted']);
    });

    it('keeps versions unique and the feed true to the tags under concurrent updates of one customer', async () => {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.applyTags('A', [computed('need.mortgage', 'active', i + 1)], 1, AT),
        ),
      );
      const feed = (await store.feed(undefined, 100)).changes;
      const versions = feed.map((c) => c.version);
      assert.deepEqual(
        versions,
        versions.map((_, i) => i + 1),
        'versions 1..n, in feed order',
      );
      const last = feed[feed.length - 1]!;
      const stored = (await store.load('A')).state.tags[0]!.tag;
      assert.deepEqual(stored.count, last.tag!.count, 'the last change in the feed is the stored state');
    });

    it('keeps versions unique and the feed true to the tags under concurrent batches sharing customers', async () => {
      // Overlapping batches (several profile jobs at once): each customer's changes must still be
      // versioned 1..n in feed order, and its last change must be what is stored.
      const customers = ['A', 'B', 'C', 'D', 'E'];
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          store.applyMany(
            customers
              .filter((_, k) => (i + k) % 3 !== 0)
              .map((customerId) => ({
                customerId,
                computed: [computed('need.mortgage', 'active', i + 1)],
                revision: 1,
              })),
            AT,
          ),
        ),
      );
      const feed = (await store.feed(undefined, 1000)).changes;
      for (const customerId of customers) {
        const mine = feed.filter((c) => c.customerId === customerId);
        assert.ok(mine.length > 0, `${customerId} has changes`);
        assert.deepEqual(
          mine.map((c) => c.version),
          mine.map((_, i) => i + 1),
          `${customerId}: versions 1..n, in feed order`,
        );
        const { state } = await store.load(customerId);
        assert.equal(state.version, mine.length);
        assert.equal(state.tags[0]!.tag.count, mine[mine.length - 1]!.tag!.count);
      }
    });

    it('counts one revision per customer across signals and consent, and new signals never make an applied computation stale', async () => {
      const r1 = (await store.putSignals([signalsOf('c1', 'A', ['need.mortgage'])])).get('A')!;
      const loaded = await store.load('A');
      assert.equal(loaded.state.revision, r1);
      // Signals arriving between a computation's read and its write: the computation is still applied
      // (it is not older than the last applied one); the later one follows with its higher revision.
      const r2 = (await store.putSignals([signalsOf('c2', 'A', ['life.marriage'])])).get('A')!;
      assert.ok(r2 > r1);
      assert.equal((await store.applyTags('A', [computed('need.mortgage')], r1, AT)).stale, false);
      const r3 = await store.setConsent('A', { marketing: true });
      assert.ok(r3 > r2);
      assert.equal((await store.load('A')).state.revision, r3);
      assert.equal((await store.applyTags('A', [computed('need.mortgage')], r3, AT)).stale, false);
      assert.equal((await store.applyTags('A', [], r2, AT)).stale, true);
      assert.equal((await store.load('A')).state.tags[0]!.tag.status, 'active');
    });
  });
}
