import assert from 'node:assert/strict';
import path from 'node:path';
import { computeTags } from '../../../src/profiles/compute-tags.js';
import { loadProfileConfig, parseProfileConfig } from '../../../src/profiles/profile-config.js';
import type { ConversationSignals } from '../../../src/profiles/signals.js';

const config = loadProfileConfig(path.resolve('models'));
const DAY = 86_400_000;
const versions = { pipeline: 'p', taxonomy: 't', dictionary: 'd', model: 'm' };

const signal = (
  id: string,
  at: string,
  keys: string[],
  extra: Partial<ConversationSignals> = {},
): ConversationSignals => ({
  conversationId: id,
  customerId: 'C1',
  at: new Date(at).toISOString(),
  channel: 'call',
  versions,
  keys: Object.fromEntries(
    keys.map((k) => [k, [{ utterance: 1, speaker: 'customer', quote: `${id}:${k}` }]]),
  ),
  complaint: keys.some((k) => k.startsWith('complaint.')),
  resolved: false,
  ...extra,
});

const byKey = (tags: ReturnType<typeof computeTags>) => new Map(tags.map((t) => [t.key, t]));

describe('computeTags', () => {
  it('ages a tag from the conversation time by its family lifetime', () => {
    const s = [signal('a', '2026-03-10T09:00:00+08:00', ['need.mortgage', 'life.home_purchase'])];
    const inApril = byKey(computeTags(s, {}, Date.parse('2026-04-10T00:00:00Z'), config));
    assert.equal(inApril.get('need.mortgage')!.status, 'active');
    assert.equal(
      Date.parse(inApril.get('need.mortgage')!.validUntil) - Date.parse(s[0]!.at),
      config.lifetimes.need,
    );
    const inMay = byKey(computeTags(s, {}, Date.parse('2026-05-20T00:00:00Z'), config));
    assert.deepEqual(
      [inMay.get('need.mortgage')!.status, inMay.get('need.mortgage')!.exitReason],
      ['exited', 'expired'],
    );
    assert.equal(inMay.get('life.home_purchase')!.status, 'active', 'life events last months');
  });

  it('keeps first and last conversation times, counts and newest evidence first, in any arrival order', () => {
    const s = [
      signal('mar', '2026-03-10T00:00:00Z', ['need.mortgage']),
      signal('jan', '2026-01-15T00:00:00Z', ['need.mortgage']),
    ];
    const tag = byKey(computeTags(s, {}, Date.parse('2026-03-11T00:00:00Z'), config)).get('need.mortgage')!;
    assert.equal(tag.firstSeen, '2026-01-15T00:00:00.000Z');
    assert.equal(tag.lastQualified, '2026-03-10T00:00:00.000Z');
    assert.equal(tag.count, 2);
    assert.deepEqual(
      tag.evidence.map((e) => e.conversationId),
      ['mar', 'jan'],
    );
    assert.deepEqual(
      computeTags([...s].reverse(), {}, Date.parse('2026-03-11T00:00:00Z'), config),
      computeTags(s, {}, Date.parse('2026-03-11T00:00:00Z'), config),
    );
  });

  it('lets the last word win between a need and its decline', () => {
    const now = Date.parse('2026-03-12T00:00:00Z');
    const declinedLater = byKey(
      computeTags(
        [
          signal('a', '2026-03-01T00:00:00Z', ['need.insurance']),
          signal('b', '2026-03-05T00:00:00Z', ['need_declined.insurance']),
        ],
        {},
        now,
        config,
      ),
    );
    assert.equal(declinedLater.get('need.insurance')!.exitReason, 'declined');
    assert.equal(declinedLater.get('need_declined.insurance')!.status, 'active');
    const neededAgain = byKey(
      computeTags(
        [
          signal('a', '2026-03-08T00:00:00Z', ['need.insurance']),
          signal('b', '2026-03-05T00:00:00Z', ['need_declined.insurance']),
        ],
        {},
        now,
        config,
      ),
    );
    assert.equal(neededAgain.get('need.insurance')!.status, 'active');
    assert.equal(neededAgain.get('need_declined.insurance')!.exitReason, 'needed_again');
  });

  it('closes complaint.open only with a later resolved conversation', () => {
    const complaint = signal('a', '2026-04-12T00:00:00Z', ['complaint.fees', 'complaint.open']);
    const now = Date.parse('2026-04-20T00:00:00Z');
    const earlierThanks = signal('z', '2026-04-01T00:00:00Z', [], { resolved: true });
    assert.equal(
      byKey(computeTags([complaint, earlierThanks], {}, now, config)).get('complaint.open')!.status,
      'active',
    );
    const laterThanks = signal('b', '2026-04-15T00:00:00Z', [], { resolved: true });
    const open = byKey(computeTags([complaint, laterThanks], {}, now, config)).get('complaint.open')!;
    assert.deepEqual([open.status, open.exitReason], ['exited', 'resolved']);
    assert.equal(
      byKey(computeTags([complaint, laterThanks], {}, now, config)).get('complaint.fees')!.status,
      'active',
    );
  });

  it('takes do-not-market from a refusal heard or from the CRM, whichever is later', () => {
    const heard = signal('a', '2026-05-20T00:00:00Z', ['consent.do_not_market']);
    const now = Date.parse('2026-06-01T00:00:00Z');
    const dnm = byKey(computeTags([heard], {}, now, config)).get('consent.do_not_market')!;
    assert.equal(dnm.status, 'active');
    assert.ok(Date.parse(dnm.validUntil) - Date.parse(heard.at) >= 182 * DAY);
    const lifted = byKey(
      computeTags([heard], { marketing: true, updatedAt: '2026-05-25T00:00:00Z' }, now, config),
    ).get('consent.do_not_market')!;
    assert.deepEqual([lifted.status, lifted.exitReason], ['exited', 'consent_given']);
    const crm = byKey(
      computeTags(
        [],
        { doNotMarket: { since: '2026-05-30T00:00:00Z', until: '2027-01-01T00:00:00Z', source: 'crm' } },
        now,
        config,
      ),
    ).get('consent.do_not_market')!;
    assert.deepEqual([crm.status, crm.source, crm.validUntil], ['active', 'crm', '2027-01-01T00:00:00.000Z']);
  });
});

describe('profiles.yaml validation', () => {
  it('names the file, the path and what was expected', () => {
    assert.throws(
      () =>
        parseProfileConfig(
          'lifetimes: {need: 6 weeks}\nevidencePerTag: 3\nresolutionCues: [解决了]\ndoNotMarketPatterns: ["(别"]\n',
          'profiles.yaml',
        ),
      (err: Error) =>
        /profiles\.yaml/.test(err.message) &&
        /lifetimes\.need: expected a duration/.test(err.message) &&
        /doNotMarketPatterns\.0: not a valid regular expression/.test(err.message),
    );
  });

  it('hears the refusals of the issue and not an ordinary question about marketing', () => {
    const refuses = (text: string) => config.doNotMarketPatterns.some((p) => p.test(text));
    for (const text of [
      '别再给我打电话推销了',
      '以后不要给我发营销短信',
      '别再推销了',
      '不要再打推销电话了',
      '把我从你们的营销名单里删掉',
    ])
      assert.ok(refuses(text), text);
    for (const text of ['你们最近有什么理财推荐吗', '营销短信里说的那个活动还有吗', '我想办张信用卡'])
      assert.ok(!refuses(text), text);
  });
});
