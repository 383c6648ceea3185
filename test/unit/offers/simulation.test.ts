import assert from 'node:assert/strict';
import type { DecisionRecord } from '../../../src/domain/offer.js';
import { offerReport } from '../../../src/offers/offer-report.js';
import {
  inControlGroup,
  posterior,
  randomOrder,
  reachOf,
  thompsonDraw,
  type Arm,
} from '../../../src/offers/propensity.js';
import { seededRandom } from '../../../src/shared/seeded-random.js';

/** True acceptance rates the learner does not know; offer_d is best. */
const TRUE_RATES: Record<string, number> = {
  offer_a: 0.05,
  offer_b: 0.1,
  offer_c: 0.15,
  offer_d: 0.3,
  offer_e: 0.2,
};
const IDS = Object.keys(TRUE_RATES);
const learning = { controlShare: 0.1, controlSalt: 'sim', ramp: { trials: 30, minReach: 0.2 }, samples: 50 };

function simulate(seed: number, rounds: number) {
  const random = seededRandom(seed);
  const counts = new Map(IDS.map((id) => [id, { accepted: 0, rejected: 0 }]));
  const records: DecisionRecord[] = [];
  const chosen: string[] = [];
  let trueTreatment = 0;
  let treatmentN = 0;
  for (let i = 0; i < rounds; i++) {
    const customerId = `sim-${seed}-${i}`;
    const control = inControlGroup(customerId, learning);
    const arms: Arm[] = IDS.map((id) => ({
      id,
      posterior: posterior({ alpha: 1, beta: 9 }, counts.get(id)),
      reach: reachOf(counts.get(id), learning.ramp),
      weight: 1,
    }));
    const offerId = control ? randomOrder(IDS, random)[0]! : thompsonDraw(arms, random).order[0]!.id;
    const accepted = random() < TRUE_RATES[offerId]!;
    const c = counts.get(offerId)!;
    if (accepted) c.accepted++;
    else c.rejected++;
    if (!control) {
      chosen.push(offerId);
      trueTreatment += TRUE_RATES[offerId]!;
      treatmentN++;
    }
    const at = new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString();
    records.push({
      decisionId: `${seed}-${i}`,
      customerId,
      channel: 'call',
      at,
      segment: 'general',
      control,
      catalogVersion: 'sim',
      offers: [
        {
          offerId,
          kind: 'sale',
          product: offerId,
          name: offerId,
          score: { propensity: 0, context: 1, value: 1, levers: 1, priority: 0 },
          reason: '',
          probability: 0,
        },
      ],
      suppressed: [],
      stages: {},
      candidates: [],
      tags: [],
      complaintOpen: false,
      outcomes: [{ offerId, outcome: accepted ? 'accepted' : 'declined', at, source: 'api' }],
    });
  }
  const meanRate = IDS.reduce((s, id) => s + TRUE_RATES[id]!, 0) / IDS.length;
  const report = offerReport(
    records,
    { from: '2026-11-01', to: '2026-12-31' },
    Date.UTC(2027, 0, 1),
    3_600_000,
  );
  return { chosen, report, trueLift: trueTreatment / treatmentN - meanRate };
}

describe('learning from outcomes (simulation with known acceptance rates)', function () {
  this.timeout(60_000);
  it('Thompson sampling converges on the best offer', () => {
    const { chosen } = simulate(1, 3000);
    const late = chosen.slice(-500);
    const best = late.filter((id) => id === 'offer_d').length / late.length;
    assert.ok(
      best > 0.8,
      `the best offer was chosen in ${Math.round(best * 100)} % of the last 500 decisions`,
    );
    const early = chosen.slice(0, 100).filter((id) => id === 'offer_d').length / 100;
    assert.ok(early < best, 'it explored first');
  });

  it("the report's lift interval covers the true lift", () => {
    let covered = 0;
    const runs = 20;
    for (let seed = 1; seed <= runs; seed++) {
      const { report, trueLift } = simulate(seed, 2000);
      const lift = report.totals.lift!;
      assert.ok(lift.ci95[0] < lift.ci95[1]);
      if (lift.ci95[0] <= trueLift && trueLift <= lift.ci95[1]) covered++;
      if (seed === 1) {
        assert.ok(trueLift > 0.05, 'the learned policy beats random arbitration');
        assert.ok(
          lift.ci95[0] <= trueLift && trueLift <= lift.ci95[1],
          `${JSON.stringify(lift)} vs ${trueLift}`,
        );
      }
    }
    // A 95 % interval: 20 runs with fewer than 17 covered would happen by chance about 1.6 % of the time.
    assert.ok(covered >= 17, `covered the true lift in ${covered} of ${runs} runs`);
  });
});
