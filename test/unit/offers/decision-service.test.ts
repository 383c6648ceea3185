import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Tag } from '../../../src/domain/tag.js';
import { ValidationError } from '../../../src/errors.js';
import { CatalogHolder } from '../../../src/offers/catalog.js';
import { DecisionService } from '../../../src/offers/decision-service.js';
import { loadProfileConfig } from '../../../src/profiles/profile-config.js';
import type { ProfileService, ProfileView } from '../../../src/profiles/profile-service.js';
import { SqliteOfferStore } from '../../../src/storage/sqlite/sqlite-offer-store.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-10T10:00:00+08:00');

function tag(key: string, quote: string, daysAgo: number): Tag {
  const at = new Date(NOW - daysAgo * DAY).toISOString();
  return {
    key,
    status: 'active',
    version: 1,
    firstSeen: at,
    lastQualified: at,
    validUntil: new Date(NOW + 90 * DAY).toISOString(),
    count: 1,
    confidence: 0.6,
    evidence: [
      {
        conversationId: 'c1',
        utterance: 1,
        speaker: 'customer',
        quote,
        at,
        channel: 'call',
        versions: {} as Tag['evidence'][0]['versions'],
      },
    ],
  };
}

describe('decision service', () => {
  let dir: string;
  let store: SqliteOfferStore;
  let profile: ProfileView | undefined;
  let clock = NOW;
  let service: DecisionService;

  const profileOf = (tags: Tag[], consent: Partial<ProfileView['consent']> = {}): ProfileView => ({
    customerId: 'cust-1',
    version: 1,
    tags,
    consent: { doNotMarket: { active: false }, personalisationOptOut: false, ...consent },
    conversations: [],
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decisions-'));
    store = new SqliteOfferStore(dir);
    clock = NOW;
    profile = undefined;
    // A strict stub: the decision service only reads tags and consent (no profile: none and the default).
    const profiles: Pick<ProfileService, 'tagsAndConsent'> = {
      tagsAndConsent: async () =>
        profile ?? { tags: [], consent: { doNotMarket: { active: false }, personalisationOptOut: false } },
    };
    service = new DecisionService({
      catalog: new CatalogHolder(path.resolve('models')),
      store,
      profiles,
      profileConfig: loadProfileConfig(path.resolve('models')),
      analysis: () => Promise.reject(new Error('no live conversation in these tests')),
      pseudonymiseId: (_o, masked) => masked,
      now: () => clock,
      seed: () => 42,
    });
  });

  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an invalid catalog on reload with a 400 naming the file, and keeps the one in use', () => {
    const models = fs.mkdtempSync(path.join(os.tmpdir(), 'offers-'));
    fs.cpSync(path.resolve('models/offers'), path.join(models, 'offers'), { recursive: true });
    const own = new DecisionService({
      catalog: new CatalogHolder(models),
      store,
      profiles: {
        tagsAndConsent: async () => ({
          tags: [],
          consent: { doNotMarket: { active: false }, personalisationOptOut: false },
        }),
      },
      profileConfig: loadProfileConfig(path.resolve('models')),
      analysis: () => Promise.reject(new Error('no live conversation in these tests')),
      pseudonymiseId: (_o, masked) => masked,
    });
    const before = own.catalog.version;
    fs.writeFileSync(path.join(models, 'offers', 'extra.yaml'), 'offers: [ { id: x } ]');
    assert.throws(
      () => own.reloadCatalog(),
      (err: unknown) =>
        err instanceof ValidationError &&
        err.status === 400 &&
        err.details.some((d) => /extra\.yaml: offers\.0\.product/.test(d.message)),
    );
    assert.equal(own.catalog.version, before);
    fs.rmSync(models, { recursive: true, force: true });
  });

  it('quotes the customer in Chinese and logs every stage', async () => {
    profile = profileOf([tag('need.mortgage', '想给孩子换个大点的房子', 3)]);
    const result = await service.decide({ customerId: 'cust-1', channel: 'call' });
    assert.equal(result.offers[0]?.offerId, 'mortgage_refinance');
    assert.match(result.offers[0]!.reason, /^客户3天前来电提到"想给孩子换个大点的房子"/);
    const p = result.offers[0]!.score;
    assert.ok(Math.abs(p.priority - p.propensity * p.context * p.value * p.levers) < 1e-3);
    const explained = await service.explain(result.decisionId);
    assert.deepEqual(
      explained.stages.mortgage_refinance!.map((v) => [v.stage, v.pass]),
      [
        ['eligibility', true],
        ['applicability', true],
        ['suitability', true],
        ['contact_policy', true],
        ['arbitration', true],
      ],
    );
    assert.equal(explained.stages.deposit_large_cd![0]!.pass, false);
    assert.ok(result.suppressed.some((s) => s.offerId === 'deposit_large_cd' && s.stage === 'eligibility'));
  });

  it('serves first: with an open complaint only retention and service recovery pass', async () => {
    profile = profileOf([
      tag('complaint.fees', '你们的年费太贵了', 1),
      tag('complaint.open', '你们的年费太贵了', 1),
      tag('competitor.cmb.rate', '招行的存款利率比你们高', 1),
    ]);
    const result = await service.decide({ customerId: 'cust-1', channel: 'call', limit: 5 });
    assert.ok(result.offers.length > 0);
    for (const o of result.offers) assert.notEqual(o.kind, 'sale', o.offerId);
    assert.ok(result.offers.some((o) => o.offerId === 'recovery_fee_waiver'));
    const deposit = result.suppressed.find((s) => s.offerId === 'deposit_large_cd');
    assert.equal(deposit?.stage, 'suitability');
    assert.match(deposit.why, /先服务后营销/);
  });

  it('starts the cool-down after a decline, and refuses a second outcome', async () => {
    profile = profileOf([tag('need.deposit', '大额存单现在利率多少', 1)]);
    const first = await service.decide({ customerId: 'cust-1', channel: 'call' });
    const offerId = first.offers[0]!.offerId;
    await service.recordOutcome(first.decisionId, offerId, 'declined');
    await assert.rejects(
      service.recordOutcome(first.decisionId, offerId, 'accepted'),
      /already has an outcome/,
    );
    await assert.rejects(
      service.recordOutcome(first.decisionId, 'pension_account', 'accepted'),
      /was not offered/,
    );
    clock += DAY;
    const second = await service.decide({ customerId: 'cust-1', channel: 'call' });
    assert.equal(second.offers.filter((o) => o.kind === 'sale').length, 0);
    assert.match(second.suppressed.find((s) => s.offerId === 'deposit_large_cd')!.why, /拒绝过/);
    clock += 30 * DAY; // the decline's cool-down (14 d) and the offer's own exclusion (30 d)
    profile = profileOf([tag('need.deposit', '大额存单现在利率多少', 1)]);
    const later = await service.decide({ customerId: 'cust-1', channel: 'call', limit: 3 });
    assert.ok(
      later.offers.some((o) => o.offerId === 'deposit_large_cd'),
      'the offer comes back after both waits',
    );
  });

  it('makes no outbound sale at 22:00 Shanghai time, but does at 10:00', async () => {
    profile = profileOf([tag('need.deposit', '大额存单现在利率多少', 1)]);
    const night = await service.decide({
      customerId: 'cust-1',
      channel: 'outbound_call',
      at: '2026-11-10T22:00:00+08:00',
    });
    assert.deepEqual(night.offers, []);
    assert.match(night.suppressed.find((s) => s.offerId === 'deposit_large_cd')!.why, /21:00至09:00/);
    const day = await service.decide({
      customerId: 'cust-1',
      channel: 'outbound_call',
      at: '2026-11-11T10:00:00+08:00',
    });
    assert.equal(day.offers[0]?.offerId, 'deposit_large_cd');
  });

  it('gives a do-not-market customer no sale or retention, an opted-out one only generic offers', async () => {
    profile = profileOf(
      [tag('need.deposit', '大额存单现在利率多少', 1), tag('competitor.cmb.rate', '招行利率高', 1)],
      {
        doNotMarket: { active: true, until: new Date(NOW + 100 * DAY).toISOString() },
      },
    );
    const dnm = await service.decide({ customerId: 'cust-1', channel: 'call', limit: 5 });
    assert.deepEqual(dnm.offers, []);
    profile = profileOf([tag('need.deposit', '大额存单现在利率多少', 1)], { personalisationOptOut: true });
    const optOut = await service.decide({ customerId: 'cust-1', channel: 'call', limit: 5 });
    assert.deepEqual(
      optOut.offers.map((o) => o.offerId),
      ['app_monthly_benefits'],
    );
    assert.doesNotMatch(optOut.offers[0]!.reason, /大额存单/);
  });

  it('counts an unanswered offer as no answer after the wait, and suppresses after three', async () => {
    profile = profileOf([
      tag('need.deposit', '大额存单现在利率多少', 1),
      tag('need.pension', '养老金怎么开', 1),
    ]);
    for (let i = 0; i < 3; i++) {
      await service.decide({ customerId: 'cust-1', channel: 'app' });
      clock += 4 * DAY;
      profile = profileOf([
        tag('need.deposit', '大额存单现在利率多少', 1),
        tag('need.pension', '养老金怎么开', 1),
      ]);
    }
    const next = await service.decide({ customerId: 'cust-1', channel: 'app' });
    const history = await store.history('cust-1');
    assert.equal(history.responses.filter((r) => r.outcome === 'no_answer').length, 3);
    assert.deepEqual(next.offers, []);
    assert.match(next.suppressed.find((s) => s.offerId === 'deposit_large_cd')!.why, /连续3次未回应/);
  });

  it('never exceeds the cap under 50 simultaneous decisions (SQLite transaction)', async () => {
    profile = profileOf([tag('need.deposit', '大额存单现在利率多少', 1)]);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => service.decide({ customerId: 'cust-1', channel: 'call', limit: 3 })),
    );
    const sales = results.flatMap((r) => r.offers).filter((o) => o.kind !== 'service_recovery');
    assert.equal(sales.length, 3, 'the call cap of the default policy is 3 per 7 days');
  });
});
