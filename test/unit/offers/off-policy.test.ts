import assert from 'node:assert/strict';
import type { DecisionRecord } from '../../../src/domain/offer.js';
import { evaluatePolicy, TARGET_POLICIES } from '../../../src/offers/off-policy.js';
import { seededRandom } from '../../../src/shared/seeded-random.js';

const RATES: Record<string, number> = { a: 0.1, b: 0.3, c: 0.2 };

/** A log written by a random (uniform) logging policy with known acceptance rates. */
function uniformLog(n: number): DecisionRecord[] {
  const random = seededRandom(7);
  const ids = Object.keys(RATES);
  return Array.from({ length: n }, (_, i) => {
    const offerId = ids[Math.floor(random() * ids.length)]!;
    const at = new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString();
    return {
      decisionId: String(i),
      customerId: `c${i}`,
      channel: 'call',
      at,
      segment: 'general',
      control: false,
      catalogVersion: 'test',
      offers: [
        {
          offerId,
          kind: 'sale',
          product: offerId,
          name: offerId,
          score: { propensity: 0, context: 1, value: 1, levers: 1, priority: 0 },
          reason: '',
          probability: 1 / 3,
        },
      ],
      suppressed: [],
      stages: {},
      // The posterior means rank b first, as the true rates do.
      candidates: ids.map((id) => ({
        offerId: id,
        probability: 1 / 3,
        propensityMean: RATES[id]!,
        context: 1,
        value: 1,
        levers: 1,
      })),
      tags: [],
      complaintOpen: false,
      outcomes: [
        { offerId, outcome: random() < RATES[offerId]! ? 'accepted' : 'declined', at, source: 'api' },
      ],
    } satisfies DecisionRecord;
  });
}

describe('off-policy evaluation (IPW)', () => {
  it("estimates a greedy policy's acceptance from a log it did not write", () => {
    const log = uniformLog(6000);
    const greedy = evaluatePolicy(log, 'greedy', TARGET_POLICIES.greedy!, Date.UTC(2027, 0, 1), 3_600_000);
    assert.ok(greedy.ci95[0] <= 0.3 && 0.3 <= greedy.ci95[1], JSON.stringify(greedy));
    assert.ok(Math.abs(greedy.ipw - 0.3) < 0.03, JSON.stringify(greedy));
    const logged = evaluatePolicy(log, 'logged', TARGET_POLICIES.logged!, Date.UTC(2027, 0, 1), 3_600_000);
    assert.equal(logged.ipw, logged.observed, 'the logging policy estimates what was observed');
    assert.ok(greedy.effectiveSampleSize < logged.effectiveSampleSize);
  });

  it('skips offers still inside the no-answer wait and counts older unanswered ones as not accepted', () => {
    const log = uniformLog(10).map((d, i) => ({ ...d, outcomes: i < 5 ? d.outcomes : [] }));
    const late = Date.parse(log[9]!.at) + 1000;
    assert.equal(evaluatePolicy(log, 'logged', TARGET_POLICIES.logged!, late, 3_600_000).n, 5);
    assert.equal(evaluatePolicy(log, 'logged', TARGET_POLICIES.logged!, late + 3_600_000, 3_600_000).n, 10);
  });
});
