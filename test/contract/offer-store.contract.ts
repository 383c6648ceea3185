import assert from 'node:assert/strict';
import type { DecisionRecord } from '../../src/domain/offer.js';
import type { CapRule, OfferStore } from '../../src/storage/offer-store.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-10T10:00:00+08:00');
const CAPS: CapRule[] = [
  { windowMs: 7 * DAY, max: 3 },
  { windowMs: 7 * DAY, max: 1, channel: 'sms' },
];
const COUNTED = ['sale', 'retention'];

const request = (offerId: string, kind: string, decisionId = 'd') => ({ offerId, kind, decisionId });

function decision(id: string, at: number, segment = 'general'): DecisionRecord {
  return {
    decisionId: id,
    customerId: 'cust-1',
    channel: 'call',
    at: new Date(at).toISOString(),
    segment,
    control: false,
    catalogVersion: 'test',
    offers: [],
    suppressed: [],
    stages: {},
    candidates: [],
    tags: [],
    complaintOpen: false,
    outcomes: [],
  };
}

/** The offer store's contract: SQLite (contract tier) and Redis (integration tier) behave the same. */
export function describeOfferStoreContract(
  name: string,
  create: () => Promise<{ store: OfferStore; dispose: () => Promise<void> }>,
): void {
  describe(`offer store contract (${name})`, () => {
    let store: OfferStore;
    let dispose: () => Promise<void>;
    beforeEach(async () => ({ store, dispose } = await create()));
    afterEach(async () => dispose());

    it('grants counted offers within every cap of the channel, uncounted ones always, up to the limit', async () => {
      const granted = await store.reserveContacts(
        'cust-1',
        'sms',
        T0,
        [
          request('a', 'sale'),
          request('b', 'sale'),
          request('r', 'service_recovery'),
          request('c', 'retention'),
        ],
        3,
        CAPS,
        COUNTED,
      );
      assert.deepEqual(granted, [0, 2], 'one sms offer a week; the recovery offer is not counted');
      const call = await store.reserveContacts(
        'cust-1',
        'call',
        T0 + 1000,
        [request('d', 'sale'), request('e', 'sale'), request('f', 'sale')],
        5,
        CAPS,
        COUNTED,
      );
      assert.deepEqual(call, [0, 1], 'the overall cap of 3 counts the sms offer');
      const limited = await store.reserveContacts(
        'cust-2',
        'call',
        T0,
        [request('a', 'sale'), request('b', 'sale')],
        1,
        CAPS,
        COUNTED,
      );
      assert.deepEqual(limited, [0]);
      const { contacts } = await store.history('cust-1');
      assert.deepEqual(
        contacts.map((c) => [c.offerId, c.channel, c.kind]),
        [
          ['a', 'sms', 'sale'],
          ['r', 'sms', 'service_recovery'],
          ['d', 'call', 'sale'],
          ['e', 'call', 'sale'],
        ],
      );
      const later = await store.reserveContacts(
        'cust-1',
        'call',
        T0 + 7 * DAY + 1,
        [request('g', 'sale')],
        1,
        CAPS,
        COUNTED,
      );
      assert.deepEqual(later, [0], 'the window has passed');
    });

    it('reserves and logs a decision together: the record is built from the granted offers', async () => {
      const id = '66666666-0000-4000-8000-000000000006';
      const seen: number[][] = [];
      const record = await store.reserveAndLog(
        {
          customerId: 'cust-6',
          channel: 'sms',
          at: T0,
          requests: [
            request('a', 'sale', id),
            request('b', 'sale', id),
            request('r', 'service_recovery', id),
          ],
          limit: 3,
          caps: CAPS,
          countedKinds: COUNTED,
        },
        (granted) => {
          seen.push(granted);
          return { ...decision(id, T0), customerId: 'cust-6', tags: granted.map(String) };
        },
      );
      assert.deepEqual(seen, [[0, 2]], 'built once, from what the caps granted');
      assert.deepEqual(record.tags, ['0', '2']);
      assert.deepEqual((await store.getDecision(id))?.tags, ['0', '2']);
      assert.deepEqual(
        (await store.history('cust-6')).contacts.map((c) => c.offerId),
        ['a', 'r'],
      );
    });

    it('never exceeds a cap under concurrent reservations', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.reserveContacts('cust-3', 'call', T0 + i, [request('a', 'sale', `d${i}`)], 1, CAPS, COUNTED),
        ),
      );
      assert.equal(results.flat().length, 3);
      const logged = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const id = `77777777-0000-4000-8000-${String(i).padStart(12, '0')}`;
          return store.reserveAndLog(
            {
              customerId: 'cust-7',
              channel: 'call',
              at: T0 + i,
              requests: [request('a', 'sale', id)],
              limit: 1,
              caps: CAPS,
              countedKinds: COUNTED,
            },
            (granted) => ({ ...decision(id, T0 + i), customerId: 'cust-7', tags: granted.map(String) }),
          );
        }),
      );
      assert.equal(logged.filter((r) => r.tags.length > 0).length, 3);
      const range = await store.decisions(new Date(T0).toISOString(), new Date(T0 + 50).toISOString());
      assert.equal(range.filter((d) => d.customerId === 'cust-7').length, 50, 'every decision logged');
    });

    it('records an outcome once, with the response and the arm count, and returns decisions by time', async () => {
      const d1 = decision('11111111-1111-4111-8111-111111111111', T0, 'comparing');
      const d2 = decision('22222222-2222-4222-8222-222222222222', T0 + DAY);
      await store.putDecision(d1);
      await store.putDecision(d2);
      const at = new Date(T0 + 1000).toISOString();
      assert.equal(
        await store.addOutcome(d1, { offerId: 'a', outcome: 'declined', at, source: 'api' }),
        true,
      );
      assert.equal(
        await store.addOutcome(d1, { offerId: 'a', outcome: 'accepted', at, source: 'api' }),
        false,
      );
      assert.equal(
        await store.addOutcome(d1, { offerId: 'b', outcome: 'accepted', at, source: 'api' }),
        true,
      );
      const counts = await store.armCounts();
      assert.deepEqual(counts.get('a|comparing'), { accepted: 0, rejected: 1 });
      assert.deepEqual(counts.get('b|comparing'), { accepted: 1, rejected: 0 });
      const got = await store.getDecision(d1.decisionId);
      assert.deepEqual(got?.outcomes.map((o) => [o.offerId, o.outcome]).sort(), [
        ['a', 'declined'],
        ['b', 'accepted'],
      ]);
      const { responses } = await store.history('cust-1');
      assert.deepEqual(responses.map((r) => r.outcome).sort(), ['accepted', 'declined']);
      const range = await store.decisions(new Date(T0).toISOString(), new Date(T0 + DAY).toISOString());
      assert.deepEqual(
        range.map((d) => d.decisionId),
        [d1.decisionId],
        'from inclusive, to exclusive',
      );
      assert.equal(await store.getDecision('33333333-3333-4333-8333-333333333333'), undefined);
    });

    it('settles granted offers left unanswered past the wait as no_answer, in pages, once', async () => {
      const HOUR = 3_600_000;
      const wait = 72 * HOUR;
      // Three decisions of one customer, one granted offer each, and one of another customer; the
      // last decision is too recent; the second gets a real answer in time.
      const ids = [1, 2, 3, 4].map((n) => `${n}${n}${n}${n}${n}${n}${n}${n}-0000-4000-8000-00000000000${n}`);
      const made = [T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 100 * HOUR];
      for (const [i, id] of ids.entries()) {
        const customer = i === 2 ? 'cust-9' : 'cust-1';
        await store.reserveContacts(customer, 'call', made[i]!, [request('a', 'sale', id)], 1, CAPS, COUNTED);
        await store.putDecision({ ...decision(id, made[i]!, 'comparing'), customerId: customer });
      }
      // A granted offer whose decision was never logged (a crash in between) is dropped, not settled.
      const lost = '55555555-0000-4000-8000-000000000005';
      await store.reserveContacts('cust-5', 'app', T0, [request('a', 'sale', lost)], 1, CAPS, COUNTED);
      const answeredAt = new Date(T0 + 2 * HOUR).toISOString();
      assert.equal(
        await store.addOutcome(
          { ...decision(ids[1]!, made[1]!, 'comparing') },
          {
            offerId: 'a',
            outcome: 'accepted',
            at: answeredAt,
            source: 'api',
          },
        ),
        true,
      );

      const now = T0 + 75 * HOUR;
      const first = await store.settleUnanswered(now - wait, wait, 1);
      const second = await store.settleUnanswered(now - wait, wait, 10);
      assert.deepEqual(
        [first.settled + second.settled, first.dropped + second.dropped],
        [2, 1],
        'decisions 1 and 3 settled (in two pages), the unlogged one dropped',
      );
      assert.equal(first.settled + first.dropped, 1, 'a page holds at most `limit` offers');
      assert.deepEqual(await store.settleUnanswered(now - wait, wait, 10), { settled: 0, dropped: 0 });

      const counts = await store.armCounts();
      assert.deepEqual(counts.get('a|comparing'), { accepted: 1, rejected: 2 });
      const settled = await store.getDecision(ids[0]!);
      assert.deepEqual(settled?.outcomes, [
        { offerId: 'a', outcome: 'no_answer', at: new Date(T0 + wait).toISOString(), source: 'timeout' },
      ]);
      assert.deepEqual(
        (await store.history('cust-9')).responses.map((r) => [r.outcome, r.at]),
        [['no_answer', made[2]! + wait]],
      );
      assert.deepEqual((await store.getDecision(ids[3]!))?.outcomes, [], 'too recent');
      // A real answer after the timeout is a second outcome: refused, the counts stay.
      assert.equal(
        await store.addOutcome(settled!, {
          offerId: 'a',
          outcome: 'accepted',
          at: new Date(now).toISOString(),
          source: 'api',
        }),
        false,
      );
      assert.deepEqual((await store.armCounts()).get('a|comparing'), { accepted: 1, rejected: 2 });
      // Later, the recent one is due too.
      const later = T0 + 200 * HOUR;
      assert.deepEqual(await store.settleUnanswered(later - wait, wait, 10), { settled: 1, dropped: 0 });
    });
  });
}
