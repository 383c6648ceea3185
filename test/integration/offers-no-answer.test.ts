import assert from 'node:assert/strict';
import type { DecisionRecord } from '../../src/domain/offer.js';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

/**
 * The `offer-no-answer` job: offers left without an outcome for policy.noAnswerAfter (72 h) count as
 * negatives for every customer, including those who never ask for a decision again. The clock is the
 * test's; the learned counts are read through the posterior means a fresh decision logs.
 */
const T0 = Date.parse('2026-09-01T10:00:00+08:00');
const HOUR = 3_600_000;

for (const mode of ['embedded', 'distributed'] as Mode[]) {
  describe(`offers left unanswered become negatives (${mode})`, function () {
    let svc: TestService;
    let now = T0;

    before(async () => {
      svc = await startTestService(mode, {}, ['api', 'worker'], { now: () => now });
    });
    after(async () => svc?.stop());

    async function decide(customerId: string): Promise<DecisionRecord> {
      const response = await svc.request('/v1/decisions', {
        role: 'crm',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customerId, channel: 'app', limit: 1 }),
      });
      const text = await response.text();
      assert.equal(response.status, 200, text);
      return explain((JSON.parse(text) as { decisionId: string }).decisionId);
    }
    async function explain(decisionId: string): Promise<DecisionRecord> {
      const response = await svc.request(`/v1/decisions/${decisionId}/explain`, { role: 'crm' });
      assert.equal(response.status, 200);
      return (await response.json()) as DecisionRecord;
    }
    const outcome = (decisionId: string, offerId: string, value: string) =>
      svc.request(`/v1/decisions/${decisionId}/outcome`, {
        role: 'crm',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ offerId, outcome: value }),
      });
    const means = (d: DecisionRecord) => new Map(d.candidates.map((c) => [c.offerId, c.propensityMean]));

    it('settles every customer’s unanswered offers after the wait; the learned propensities change', async () => {
      // Four customers without a profile (segment general) get one app offer each; one answers.
      const made: DecisionRecord[] = [];
      for (const n of [1, 2, 3, 4]) made.push(await decide(`CRM-NA-${n}`));
      for (const d of made) assert.equal(d.offers.length, 1, JSON.stringify(d.suppressed));
      const answered = made[0]!;
      assert.equal((await outcome(answered.decisionId, answered.offers[0]!.offerId, 'accepted')).status, 201);
      const catalog = svc.service.container.decisions.catalog;
      const prior = (offerId: string) => catalog.byId.get(offerId)!.prior;
      const expected = (negatives: boolean) => {
        const counts = new Map<string, { a: number; n: number }>();
        for (const [i, d] of made.entries()) {
          const id = d.offers[0]!.offerId;
          const c = counts.get(id) ?? { a: 0, n: 0 };
          if (i === 0) counts.set(id, { a: c.a + 1, n: c.n + 1 });
          else counts.set(id, { a: c.a, n: c.n + (negatives ? 1 : 0) });
        }
        return new Map(
          [...counts].map(([id, c]) => {
            const { alpha, beta } = prior(id);
            return [id, Math.round(((alpha + c.a) / (alpha + beta + c.n)) * 10_000) / 10_000];
          }),
        );
      };

      // 73 hours on, before the job: a new customer's decision sees only the real answer.
      now = T0 + 73 * HOUR;
      const before = means(await decide('CRM-NA-PROBE-1'));
      for (const [id, mean] of expected(false)) assert.equal(before.get(id), mean, `${id} before the job`);

      await svc.service.container.queue.enqueue('offer-no-answer', 'no-answer-test-1', {});
      for (const d of made.slice(1)) {
        const settled = await eventually(
          () => explain(d.decisionId),
          (r) => r.outcomes.length === 1,
          30_000,
        );
        assert.deepEqual(settled.outcomes, [
          {
            offerId: d.offers[0]!.offerId,
            outcome: 'no_answer',
            at: new Date(Date.parse(d.at) + 72 * HOUR).toISOString(),
            source: 'timeout',
          },
        ]);
      }
      const after = means(await decide('CRM-NA-PROBE-2'));
      for (const [id, mean] of expected(true)) assert.equal(after.get(id), mean, `${id} after the job`);
      assert.notDeepEqual(after, before);
      assert.deepEqual(
        (await explain(answered.decisionId)).outcomes.map((o) => [o.outcome, o.source]),
        [['accepted', 'api']],
        'the real answer stands',
      );

      // A second run settles nothing new (the probes are too recent); the counts stay.
      assert.deepEqual(await svc.service.container.decisions.settleNoAnswer(), { settled: 0, dropped: 0 });
      assert.deepEqual(means(await decide('CRM-NA-PROBE-3')), after);

      // A real answer arriving after the timeout is a second outcome: refused, saying why.
      const late = await outcome(made[1]!.decisionId, made[1]!.offers[0]!.offerId, 'accepted');
      assert.equal(late.status, 409);
      assert.match(await late.text(), /no_answer.*72 h \(policy\.noAnswerAfter\)/);
    });
  });
}
