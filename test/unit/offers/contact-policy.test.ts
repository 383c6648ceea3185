import assert from 'node:assert/strict';
import path from 'node:path';
import { loadCatalog } from '../../../src/offers/catalog.js';
import {
  contactPolicyVerdict,
  inQuietHours,
  minutesInZone,
  type PolicyContext,
} from '../../../src/offers/contact-policy.js';

const catalog = loadCatalog(path.resolve('models'));
const quiet = catalog.policy.quietHours;
const deposit = catalog.byId.get('deposit_large_cd')!;
const waiver = catalog.byId.get('recovery_fee_waiver')!;

const ctx = (over: Partial<PolicyContext>): PolicyContext => ({
  now: Date.parse('2026-11-10T10:00:00+08:00'),
  channel: 'call',
  doNotMarket: false,
  personalisationOptOut: false,
  contacts: [],
  responses: [],
  kindOf: (id) => catalog.byId.get(id)?.kind,
  ...over,
});

describe('contact policy', () => {
  it('keeps quiet from 21:00 to 09:00 in Asia/Shanghai, whatever the server time zone', () => {
    assert.equal(inQuietHours(Date.parse('2026-11-10T20:59:00+08:00'), quiet), false);
    assert.equal(inQuietHours(Date.parse('2026-11-10T21:00:00+08:00'), quiet), true);
    assert.equal(inQuietHours(Date.parse('2026-11-10T14:00:00Z'), quiet), true, '22:00 in Shanghai');
    assert.equal(inQuietHours(Date.parse('2026-11-11T08:59:00+08:00'), quiet), true);
    assert.equal(inQuietHours(Date.parse('2026-11-11T09:00:00+08:00'), quiet), false);
  });

  it('reads the clock of each time zone apart, the same on every call (one formatter per zone, reused)', () => {
    const at = Date.parse('2026-07-01T12:34:00Z');
    for (let i = 0; i < 3; i++) {
      assert.equal(minutesInZone(at, 'Asia/Shanghai'), 20 * 60 + 34);
      assert.equal(minutesInZone(at, 'UTC'), 12 * 60 + 34);
      assert.equal(minutesInZone(at, 'Europe/London'), 13 * 60 + 34, 'summer time');
      assert.equal(minutesInZone(at, 'Asia/Kolkata'), 18 * 60 + 4);
    }
    assert.equal(minutesInZone(Date.parse('2026-01-15T12:34:00Z'), 'Europe/London'), 12 * 60 + 34);
    assert.equal(minutesInZone(Date.parse('2026-11-10T16:00:00Z'), 'Asia/Shanghai'), 0, 'midnight is 0');
    assert.throws(() => minutesInZone(at, 'Not/A_Zone'), RangeError);
  });

  it('applies the night rule to outbound channels only', () => {
    const night = Date.parse('2026-11-10T22:00:00+08:00');
    assert.match(
      contactPolicyVerdict(deposit, ctx({ now: night, channel: 'outbound_call' }), catalog.policy)!,
      /21:00/,
    );
    assert.match(
      contactPolicyVerdict(deposit, ctx({ now: night, channel: 'sms' }), catalog.policy)!,
      /21:00/,
    );
    assert.equal(
      contactPolicyVerdict(deposit, ctx({ now: night, channel: 'call' }), catalog.policy),
      undefined,
    );
  });

  it('lets service recovery through do-not-market, the cool-down and ignored offers', () => {
    const now = Date.parse('2026-11-10T10:00:00+08:00');
    const responses = [
      { at: now - 3_600_000, offerId: 'deposit_large_cd', decisionId: 'd1', outcome: 'declined' as const },
    ];
    assert.match(contactPolicyVerdict(deposit, ctx({ doNotMarket: true }), catalog.policy)!, /拒绝营销/);
    assert.match(contactPolicyVerdict(deposit, ctx({ responses }), catalog.policy)!, /冷静期/);
    assert.equal(
      contactPolicyVerdict(waiver, ctx({ doNotMarket: true, responses }), catalog.policy),
      undefined,
    );
    assert.match(
      contactPolicyVerdict(waiver, ctx({ personalisationOptOut: true }), catalog.policy)!,
      /个性化营销/,
      'a personalised recovery offer is not generic',
    );
  });

  it('suppresses after three ignored marketing offers in a row, not after ignored service offers', () => {
    const now = Date.parse('2026-11-10T10:00:00+08:00');
    const ignored = (offerId: string, i: number) => ({
      at: now - (i + 1) * 3_600_000,
      offerId,
      decisionId: `d${i}`,
      outcome: 'no_answer' as const,
    });
    const three = [0, 1, 2].map((i) => ignored('deposit_large_cd', i)).reverse();
    assert.match(contactPolicyVerdict(deposit, ctx({ responses: three }), catalog.policy)!, /连续3次未回应/);
    const service = [0, 1, 2].map((i) => ignored('recovery_fee_waiver', i)).reverse();
    assert.equal(contactPolicyVerdict(deposit, ctx({ responses: service }), catalog.policy), undefined);
    const broken = [...three.slice(0, 2), { ...three[2]!, outcome: 'accepted' as const }];
    assert.equal(contactPolicyVerdict(deposit, ctx({ responses: broken }), catalog.policy), undefined);
  });
});
