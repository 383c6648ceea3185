import type { Consent, CustomerProfile, Tag, TagChange } from '../domain/tag.js';
import type { Logger } from '../logging/logger.js';
import type { ConversationStore } from '../storage/types.js';
import type { CustomerState, FeedPage, ProfileStore } from '../storage/profile-store.js';
import { computeTags } from './compute-tags.js';
import type { ProfileConfig } from './profile-config.js';
import { extractSignals, type ConversationSignals } from './signals.js';

const DAY = 24 * 3600 * 1000;

/** What the CRM may set (PUT /v1/customers/:id/consent); absent fields keep their value. */
export interface ConsentInput {
  marketing?: boolean;
  /** true: do not market until `doNotMarketUntil` (default: six months); false: lift a CRM block. */
  doNotMarket?: boolean;
  doNotMarketUntil?: string;
  personalisationOptOut?: boolean;
}

/** The consent a reader sees: the CRM's record combined with refusals heard in conversations. */
export interface ConsentView {
  marketing?: boolean;
  doNotMarket: { active: boolean; since?: string; until?: string; source?: 'conversation' | 'crm' };
  personalisationOptOut: boolean;
  updatedAt?: string;
}

export interface ProfileView extends Omit<CustomerProfile, 'consent'> {
  consent: ConsentView;
}

export interface ProfileServiceDeps {
  store: ProfileStore;
  conversations: ConversationStore;
  config: ProfileConfig;
  logger: Logger;
  /** ms since epoch; injectable so the tests can let months pass. */
  now?: () => number;
  /** Called with the changes of every update (the webhook dispatcher listens here). */
  onChanges?: (changes: TagChange[]) => Promise<void>;
  /** How long the feed keeps changes (default 30 days). */
  feedRetentionMs?: number;
  /**
   * The customer id as stored for an id a caller gives (the CRM's own, maybe a phone number): the
   * same redaction and keyed hash ingest applies. Default: unchanged.
   */
  storedCustomerId?: (raw: string) => string;
}

/**
 * Customer profiles: tags with evidence from the customer's conversations, their lifetimes, consent,
 * and the ordered feed of tag changes. Tags are recomputed from all of a customer's conversation
 * signals at every step (computeTags), so re-analysis, corrections and back-filled history all end
 * in the same place as if the conversations had arrived in order.
 */
export class ProfileService {
  private readonly now: () => number;

  constructor(private readonly deps: ProfileServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The stored form of a customer id from outside (see ProfileServiceDeps.storedCustomerId). */
  customerId(raw: string): string {
    return this.deps.storedCustomerId ? this.deps.storedCustomerId(raw) : raw;
  }

  get feedRetentionMs(): number {
    return this.deps.feedRetentionMs ?? 30 * DAY;
  }

  /** The profile step of the pipeline: reads the stored conversations and updates their customers. */
  async updateFromConversations(conversationIds: string[]): Promise<{ customers: number; changes: number }> {
    const docs = await this.deps.conversations.getMany(conversationIds);
    const signals = docs
      .map((doc) => (doc ? extractSignals(doc, this.deps.config) : undefined))
      .filter((s): s is ConversationSignals => s !== undefined);
    const touched = await this.deps.store.putSignals(signals);
    const changes = await this.recomputeMany([...touched.keys()]);
    return { customers: touched.size, changes: changes.length };
  }

  /** Recomputes several customers in one store write (one job's customers). */
  private async recomputeMany(customerIds: string[]): Promise<TagChange[]> {
    const now = this.now();
    const items = await Promise.all(
      customerIds.map(async (customerId) => {
        const { signals, state } = await this.deps.store.load(customerId);
        return {
          customerId,
          computed: computeTags(signals, state.consent, now, this.deps.config),
          revision: state.revision,
        };
      }),
    );
    const results = await this.deps.store.applyMany(items, new Date(now).toISOString());
    const changes = results.flatMap((r) => r.changes);
    if (changes.length) await this.deps.onChanges?.(changes);
    return changes;
  }

  /** Recomputes one customer's tags at the current time and applies the difference. */
  recompute(customerId: string): Promise<TagChange[]> {
    return this.recomputeMany([customerId]);
  }

  /**
   * The repeatable expiry step: retires tags whose lifetime has run out, and trims the feed to its
   * retention. Returns how many customers it recomputed; call again while it returns `limit`.
   */
  async expire(limit = 1000): Promise<{ customers: number; changes: number; trimmed: number }> {
    const now = this.now();
    const due = await this.deps.store.dueForExpiry(new Date(now).toISOString(), limit);
    const changes = (await this.recomputeMany(due)).length;
    const trimmed = await this.deps.store.trimFeed(new Date(now - this.feedRetentionMs).toISOString());
    if (changes || trimmed)
      this.deps.logger.info({ customers: due.length, changes, trimmed }, 'tag expiry ran');
    return { customers: due.length, changes, trimmed };
  }

  /**
   * A customer's profile. Expiry also applies on read: a tag past its validUntil shows as exited even
   * if the expiry job has not run yet.
   */
  async get(customerId: string): Promise<ProfileView | undefined> {
    const { signals, state } = await this.deps.store.load(customerId);
    if (state.tags.length === 0 && signals.length === 0 && Object.keys(state.consent).length === 0)
      return undefined;
    const tags = tagsAt(state.tags, this.now());
    const conversations = [...signals]
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
      .map((s) => ({ id: s.conversationId, at: s.at, channel: s.channel }));
    return {
      customerId,
      version: state.version,
      tags,
      consent: consentView(state.consent, tags),
      conversations,
    };
  }

  /**
   * A customer's tags and consent exactly as `get` shows them, without reading the conversation
   * signals (a decision needs nothing else; parsing every stored signal of the customer was about
   * 40 % of the profile read's share of a decision). A customer without a profile has no tags and the
   * default consent: what `get` would show for a profile with neither, and what a decision assumes
   * when `get` finds none.
   */
  async tagsAndConsent(customerId: string): Promise<Pick<ProfileView, 'tags' | 'consent'>> {
    const state = await this.deps.store.loadState(customerId);
    const tags = tagsAt(state.tags, this.now());
    return { tags, consent: consentView(state.consent, tags) };
  }

  /** When this customer's profile was erased (PIPL), if it was; a later conversation starts a new one. */
  async erasedAt(customerId: string): Promise<string | undefined> {
    return this.deps.store.erasedAt(customerId);
  }

  async customersWithTag(key: string, limit: number, after?: string): Promise<string[]> {
    return this.deps.store.customersWithTag(key, limit, after);
  }

  /** The CRM's consent record; the customer's tags follow at once (consent.do_not_market). */
  async setConsent(customerId: string, input: ConsentInput): Promise<ProfileView> {
    const { state } = await this.deps.store.load(customerId);
    const now = this.now();
    const at = new Date(now).toISOString();
    const consent: Consent = { ...state.consent, updatedAt: at };
    if (input.marketing !== undefined) consent.marketing = input.marketing;
    if (input.personalisationOptOut !== undefined)
      consent.personalisationOptOut = input.personalisationOptOut;
    if (input.doNotMarket === true) {
      consent.doNotMarket = {
        since: at,
        until:
          input.doNotMarketUntil ??
          new Date(now + this.deps.config.lifetimes['consent.do_not_market']).toISOString(),
        source: 'crm',
      };
    } else if (input.doNotMarket === false || input.marketing === true) {
      delete consent.doNotMarket;
    }
    await this.deps.store.setConsent(customerId, consent);
    await this.recompute(customerId);
    return (await this.get(customerId))!;
  }

  /** PIPL erasure: the profile goes, tombstones reach the feed, the erasure record stays. */
  async erase(customerId: string): Promise<{ erasedAt: string; tombstones: number }> {
    const at = new Date(this.now()).toISOString();
    const tombstones = await this.deps.store.erase(customerId, at);
    if (tombstones.length) await this.deps.onChanges?.(tombstones);
    return { erasedAt: at, tombstones: tombstones.length };
  }

  async feed(cursor: string | undefined, limit: number): Promise<FeedPage> {
    return this.deps.store.feed(cursor, limit);
  }

  /**
   * Every active tag, and the feed cursor to continue from. The cursor is read before the tags, so a
   * change made while the snapshot is read is in the snapshot, in the feed after the cursor, or both
   * (a consumer keeps the higher version).
   */
  async *snapshot(pageSize = 500): AsyncGenerator<{ customerId: string; tag: Tag } | { cursor: string }> {
    yield { cursor: await this.deps.store.feedHead() };
    let after: string | undefined;
    for (;;) {
      const customers = await this.deps.store.customers(pageSize, after);
      for (const customerId of customers) {
        const profile = await this.get(customerId);
        for (const tag of profile?.tags ?? []) if (tag.status === 'active') yield { customerId, tag };
      }
      if (customers.length < pageSize) return;
      after = customers[customers.length - 1];
    }
  }
}

/** The stored tags as a reader sees them at `now`: a tag past its validUntil shows as exited (expired). */
function tagsAt(stored: CustomerState['tags'], now: number): Tag[] {
  return stored.map(({ tag }) =>
    tag.status === 'active' && Date.parse(tag.validUntil) <= now
      ? { ...tag, status: 'exited', exitReason: 'expired' }
      : tag,
  );
}

function consentView(consent: Consent, tags: Tag[]): ConsentView {
  const tag = tags.find((t) => t.key === 'consent.do_not_market');
  const active = tag?.status === 'active';
  return {
    ...(consent.marketing !== undefined ? { marketing: consent.marketing } : {}),
    doNotMarket: tag
      ? {
          active,
          since: tag.lastQualified,
          until: tag.validUntil,
          source: tag.source === 'crm' ? 'crm' : 'conversation',
        }
      : { active: false },
    personalisationOptOut: consent.personalisationOptOut === true,
    ...(consent.updatedAt ? { updatedAt: consent.updatedAt } : {}),
  };
}
