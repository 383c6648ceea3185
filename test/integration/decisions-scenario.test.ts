import assert from 'node:assert/strict';
import type { DecisionRecord } from '../../src/domain/offer.js';
import type { ProfileView } from '../../src/profiles/profile-service.js';
import { leakedNumbers } from '../helpers/pii.js';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

/**
 * The scripted scenario on a clock the test moves: a fee complaint with a competitor's rate
 * gets only recovery and retention offers; once a later call resolves it the deposit offer returns,
 * quoting the customer; a decline starts the cool-down; no outbound sale at 22:00; 「别再推销了」
 * stops sale offers for six months. Then 50 simultaneous decisions never exceed the cap.
 */
const CUSTOMER = 'CRM-660018';
const at = (iso: string) => Date.parse(iso);

interface Decision {
  decisionId: string;
  offers: { offerId: string; kind: string; reason: string; score: { context: number } }[];
  suppressed: { offerId: string; stage: string; why: string }[];
}

const conversation = (id: string, startedAt: string, customer: string[], customerId = CUSTOMER) => ({
  id,
  channel: 'call',
  startedAt,
  customerId,
  agentId: 'A-007',
  utterances: customer.flatMap((text, i) => [
    { speaker: 'agent', text: i === 0 ? '您好，安泰银行，请问有什么可以帮您？' : '好的，您请说。' },
    { speaker: 'customer', text },
  ]),
});

const COMPLAINT = [
  '你们这个账户管理费怎么又乱扣了，收费太不合理了，我要投诉',
  '招行的大额存单利率比你们高多了',
];

for (const mode of ['embedded', 'distributed'] as Mode[]) {
  describe(`next-best-offer decisions: the service-first scenario (${mode})`, function () {
    let svc: TestService;
    let now = at('2026-06-01T10:00:00+08:00');
    // The sampler is seeded per decision (1, 2, 3, …): which of the offers that passed every stage
    // takes the last slot under a cap is a Thompson draw, and the scenario must not depend on luck.
    let decisions = 0;

    before(async () => {
      svc = await startTestService(mode, {}, ['api', 'worker'], {
        now: () => now,
        decisionSeed: () => ++decisions,
      });
    });
    after(async () => svc?.stop());

    async function decide(body: Record<string, unknown>): Promise<Decision> {
      const response = await svc.request('/v1/decisions', {
        role: 'crm',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customerId: CUSTOMER, limit: 5, ...body }),
      });
      const text = await response.text();
      assert.equal(response.status, 200, text);
      return JSON.parse(text) as Decision;
    }
    const outcome = (decisionId: string, offerId: string, value: string) =>
      svc.request(`/v1/decisions/${decisionId}/outcome`, {
        role: 'crm',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ offerId, outcome: value }),
      });
    async function upload(body: unknown): Promise<void> {
      const response = await svc.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 202, await response.text());
    }
    // The profile step is its own queued job after indexing: poll the profile.
    const profileAfter = (accept: (p: ProfileView | undefined) => boolean) =>
      eventually(() => svc.service.container.profiles.get(CUSTOMER), accept, 90_000);
    const active = (p: ProfileView | undefined, key: string) =>
      p?.tags.some((t) => t.key === key && t.status === 'active') === true;

    it('during the complaint call only service recovery and retention come back, the fee waiver raised', async () => {
      const live = conversation('live-0601', '2026-06-01T09:55:00+08:00', COMPLAINT);
      const d = await decide({ channel: 'call', conversation: live });
      assert.ok(d.offers.length > 0, JSON.stringify(d));
      for (const o of d.offers) assert.notEqual(o.kind, 'sale', `${o.offerId} offered during a complaint`);
      const waiver = d.offers.find((o) => o.offerId === 'recovery_fee_waiver');
      assert.ok(waiver, JSON.stringify(d.offers.map((o) => o.offerId)));
      assert.equal(waiver.score.context, 3, 'the live fee complaint raises the fee waiver');
      assert.match(waiver.reason, /在本次通话中提到"[^"]*(管理费|收费)/);
      const deposit = d.suppressed.find((s) => s.offerId === 'deposit_large_cd');
      assert.equal(deposit?.stage, 'suitability', JSON.stringify(deposit));
      // The customer takes the refund.
      assert.equal((await outcome(d.decisionId, 'recovery_fee_waiver', 'accepted')).status, 201);

      // The call ends and is uploaded: the profile holds the open complaint, so the app stays service-first.
      await upload(conversation('call-0601', '2026-06-01T09:55:00+08:00', COMPLAINT));
      await profileAfter((p) => active(p, 'complaint.open') && active(p, 'competitor.cmb.rate'));
      now = at('2026-06-02T10:00:00+08:00');
      const app = await decide({ channel: 'app' });
      for (const o of app.offers) assert.notEqual(o.kind, 'sale', o.offerId);
    });

    it('after a later call resolves the complaint, the deposit offer comes back quoting the customer', async () => {
      now = at('2026-06-05T11:00:00+08:00');
      await upload(
        conversation('call-0605', '2026-06-05T10:30:00+08:00', [
          '上次的问题已经处理好了',
          '问题解决了，谢谢',
        ]),
      );
      await profileAfter(
        (p) => p?.tags.some((t) => t.key === 'complaint.open' && t.status === 'exited') === true,
      );
      const d = await decide({ channel: 'call' });
      const deposit = d.offers.find((o) => o.offerId === 'deposit_large_cd');
      assert.ok(deposit, JSON.stringify(d));
      assert.match(deposit.reason, /^客户4天前来电提到"招行的大额存单利率比你们高多了"/);

      // A decline starts the cool-down.
      const declined = await outcome(d.decisionId, 'deposit_large_cd', 'declined');
      assert.equal(declined.status, 201, await declined.text());
      assert.equal((await outcome(d.decisionId, 'deposit_large_cd', 'accepted')).status, 409);
      now = at('2026-06-06T11:00:00+08:00');
      const next = await decide({ channel: 'call' });
      assert.deepEqual(
        next.offers.filter((o) => o.kind === 'sale'),
        [],
      );
      const explain = await svc.request(`/v1/decisions/${next.decisionId}/explain`, { role: 'analyst' });
      const record = (await explain.json()) as DecisionRecord;
      const policy = record.stages.app_monthly_benefits!.find((v) => v.stage === 'contact_policy');
      assert.equal(policy?.pass, false);
      assert.match(policy!.why, /拒绝过推荐，冷静期14天/);
    });

    it('an outbound decision at 22:00 Shanghai time returns no sale; at 10:00 it does', async () => {
      now = at('2026-07-08T22:00:00+08:00'); // past the cool-down and the offer's own 30 days
      const night = await decide({ channel: 'outbound_call' });
      assert.deepEqual(
        night.offers.filter((o) => o.kind === 'sale'),
        [],
      );
      assert.match(night.suppressed.find((s) => s.offerId === 'deposit_large_cd')!.why, /21:00至09:00/);
      now = at('2026-07-09T10:00:00+08:00');
      const morning = await decide({ channel: 'outbound_call' });
      // One outbound offer per week: the deposit or the retention offer, whichever ranks first.
      assert.equal(morning.offers.length, 1, JSON.stringify(morning.offers));
      assert.ok(
        ['deposit_large_cd', 'retention_rate_bonus'].includes(morning.offers[0]!.offerId),
        morning.offers[0]!.offerId,
      );
      assert.ok(!morning.suppressed.some((x) => /21:00/.test(x.why)));
    });

    it('「别再推销了」 stops sale offers for six months', async () => {
      now = at('2026-07-10T10:00:00+08:00');
      await upload(conversation('call-0710', '2026-07-10T09:00:00+08:00', ['你们别再给我打电话推销了']));
      await profileAfter((p) => p?.consent.doNotMarket.active === true);
      const marketing = (d: Decision) => d.offers.filter((o) => o.kind === 'sale' || o.kind === 'retention');
      const after = await decide({ channel: 'app' });
      assert.deepEqual(marketing(after), []);
      now = at('2026-12-20T10:00:00+08:00'); // five months on: still none
      const months = await decide({ channel: 'app' });
      assert.deepEqual(marketing(months), []);
      assert.match(months.suppressed.find((s) => s.offerId === 'app_monthly_benefits')!.why, /拒绝营销/);
      now = at('2027-01-20T10:00:00+08:00'); // past six months: the generic offer is back
      const later = await decide({ channel: 'app' });
      assert.ok(
        later.offers.some((o) => o.offerId === 'app_monthly_benefits'),
        JSON.stringify(later),
      );
    });

    it('reports offers made, outcomes and acceptance per offer, tag, channel and agent', async () => {
      const response = await svc.request('/v1/reports/offers?from=2026-06-01&to=2027-01-31', {
        role: 'analyst',
      });
      assert.equal(response.status, 200);
      const report = (await response.json()) as {
        totals: { decisions: number; offersMade: number; accepted: number; declined: number };
        byOffer: { key: string; accepted: number; declined: number }[];
        byTag: { key: string }[];
        byChannel: { key: string }[];
        byAgent: { key: string }[];
      };
      assert.ok(report.totals.decisions >= 5 && report.totals.offersMade >= 8, JSON.stringify(report.totals));
      assert.ok(report.totals.accepted >= 1 && report.totals.declined >= 1);
      assert.equal(report.byOffer.find((o) => o.key === 'recovery_fee_waiver')?.accepted, 1);
      assert.equal(report.byOffer.find((o) => o.key === 'deposit_large_cd')?.declined, 1);
      assert.ok(report.byTag.some((t) => t.key === 'competitor.cmb.rate'));
      assert.deepEqual(
        new Set(report.byChannel.map((c) => c.key)),
        new Set(['call', 'app', 'outbound_call']),
      );
      const page = await svc.request('/console/offers.html', { role: 'none' });
      assert.equal(page.status, 200);
      assert.match(await page.text(), /offers\.js/);
      const bad = await svc.request('/v1/reports/offers?from=2026-13-01&to=2026-06-01', { role: 'analyst' });
      assert.equal(bad.status, 400);
    });

    it('answers clear 4xx errors', async () => {
      const bad = await svc.request('/v1/decisions', {
        role: 'crm',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customerId: CUSTOMER, channel: 'fax' }),
      });
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /body\.channel/);
      const live = await svc.request('/v1/decisions', {
        role: 'crm',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          customerId: CUSTOMER,
          channel: 'call',
          conversation: { id: 'x', channel: 'call' },
        }),
      });
      assert.equal(live.status, 400);
      assert.match(await live.text(), /body\.conversation/);
      const missing = await svc.request('/v1/decisions/00000000-0000-4000-8000-000000000000/explain', {
        role: 'crm',
      });
      assert.equal(missing.status, 404);
      assert.equal((await svc.request('/v1/decisions', { role: 'analyst', method: 'POST' })).status, 403);
    });

    it('logs no clear phone or card number from the request or the live conversation', async () => {
      const phone = '13812345678';
      const card = '6222020200112233445';
      const d = await decide({
        customerId: phone,
        agentId: `A-${phone}`,
        channel: 'call',
        conversation: conversation(
          'live-pii',
          '2026-07-01T10:00:00+08:00',
          [`你们乱收年费，我要投诉，我的卡号是${card}`],
          phone,
        ),
      });
      const explain = await svc.request(`/v1/decisions/${d.decisionId}/explain`, { role: 'crm' });
      const text = JSON.stringify(d) + (await explain.text());
      assert.deepEqual(leakedNumbers(text, [phone, card]), []);
      assert.ok(
        d.offers.some((o) => o.offerId === 'recovery_fee_waiver'),
        JSON.stringify(d.offers),
      );
    });

    it('50 simultaneous decisions for one customer never exceed the cap', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, () => decide({ customerId: 'CRM-CAP-1', channel: 'call', limit: 3 })),
      );
      const counted = results
        .flatMap((r) => r.offers)
        .filter((o) => o.kind === 'sale' || o.kind === 'retention');
      assert.equal(counted.length, 3, 'the default policy allows 3 call offers per 7 days');
      const capped = results.flatMap((r) => r.suppressed).filter((s) => /联系频次上限/.test(s.why));
      assert.equal(capped.length, 47);
    });
  });
}
