import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../src/logging/logger.js';
import { loadProfileConfig } from '../../../src/profiles/profile-config.js';
import { ProfileService } from '../../../src/profiles/profile-service.js';
import type { ConversationStore } from '../../../src/storage/types.js';
import { SqliteProfileStore } from '../../../src/storage/sqlite/sqlite-profile-store.js';
import { computed, signalsOf } from '../../contract/profile-store.contract.js';

const DAY = 86_400_000;

describe('profile service: tags and consent without the signals', () => {
  let dir: string;
  let store: SqliteProfileStore;
  let clock: number;
  let profiles: ProfileService;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profiles-'));
    store = new SqliteProfileStore(dir);
    clock = Date.parse('2026-03-20T00:00:00.000Z');
    profiles = new ProfileService({
      store,
      // Never read here: tagsAndConsent and get read the profile store only.
      conversations: {} as ConversationStore,
      config: loadProfileConfig(path.resolve('models')),
      logger: createLogger('silent'),
      now: () => clock,
    });
  });

  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** What tagsAndConsent must equal: the same fields of get, or the empty profile when get finds none. */
  async function viaGet(customerId: string) {
    const profile = await profiles.get(customerId);
    return profile
      ? { tags: profile.tags, consent: profile.consent }
      : { tags: [], consent: { doNotMarket: { active: false }, personalisationOptOut: false } };
  }

  it('answers no tags and the default consent for an unknown customer, as a decision assumed', async () => {
    assert.equal(await profiles.get('nobody'), undefined);
    assert.deepEqual(await profiles.tagsAndConsent('nobody'), await viaGet('nobody'));
  });

  it('equals get for a customer with signals only', async () => {
    await store.putSignals([signalsOf('c1', 'A', ['need.mortgage'])]);
    assert.notEqual(await profiles.get('A'), undefined);
    assert.deepEqual(await profiles.tagsAndConsent('A'), await viaGet('A'));
  });

  it('shows an active tag past its validUntil as expired, as get does', async () => {
    await store.applyTags('A', [computed('need.mortgage'), computed('life.home_purchase')], 1, 'x');
    const before = await profiles.tagsAndConsent('A');
    assert.deepEqual(
      before.tags.map((t) => [t.key, t.status]),
      [
        ['life.home_purchase', 'active'],
        ['need.mortgage', 'active'],
      ],
    );
    clock = Date.parse('2026-04-21T01:30:00.000Z'); // the computed tags' validUntil
    const after = await profiles.tagsAndConsent('A');
    assert.deepEqual(
      after.tags.map((t) => [t.key, t.status, t.exitReason]),
      [
        ['life.home_purchase', 'exited', 'expired'],
        ['need.mortgage', 'exited', 'expired'],
      ],
    );
    assert.deepEqual(after, await viaGet('A'));
  });

  it("combines the CRM's consent and the do-not-market tag exactly as get does", async () => {
    await store.putSignals([signalsOf('c1', 'A', ['need.mortgage'], '2026-03-19T00:00:00.000Z')]);
    await profiles.setConsent('A', { marketing: true, personalisationOptOut: true });
    const consented = await profiles.tagsAndConsent('A');
    assert.equal(consented.consent.marketing, true);
    assert.equal(consented.consent.personalisationOptOut, true);
    assert.equal(consented.consent.doNotMarket.active, false);
    assert.deepEqual(consented, await viaGet('A'));

    await profiles.setConsent('A', { doNotMarket: true });
    const blocked = await profiles.tagsAndConsent('A');
    assert.equal(blocked.consent.doNotMarket.active, true);
    assert.equal(blocked.consent.doNotMarket.source, 'crm');
    assert.ok(blocked.tags.some((t) => t.key === 'consent.do_not_market' && t.status === 'active'));
    assert.deepEqual(blocked, await viaGet('A'));

    clock += 400 * DAY; // past the block's six months: the tag shows as expired, the block inactive
    const lapsed = await profiles.tagsAndConsent('A');
    assert.equal(lapsed.consent.doNotMarket.active, false);
    assert.deepEqual(lapsed, await viaGet('A'));
  });
});
