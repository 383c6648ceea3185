/**
 * Customer tags: what a customer said in a service conversation, remembered on the customer with the
 * words that show it. Keys are a public contract (the CRM stores them): stable, never reused.
 *
 *   need.<need>  need_declined.<need>  life.<event>  complaint.<category>  complaint.open
 *   escalation.<kind>  competitor.<id>  competitor.<id>.<aspect>  switching.<id>  consent.do_not_market
 *
 * Ids after the prefix are those of ../shared/taxonomy.md.
 */
import type { AnalysisVersions } from './analysis.js';
import type { Channel, Speaker } from './conversation.js';
import { ASPECTS, COMPETITOR_IDS, COMPLAINT_CATEGORIES, ESCALATIONS, LIFE_EVENTS, NEEDS } from './labels.js';

export const TAG_STATUSES = ['active', 'exited'] as const;
export type TagStatus = (typeof TAG_STATUSES)[number];

/** The family of a tag key: its first segment (`need`, `life`, ...), which selects its lifetime. */
export const TAG_FAMILIES = [
  'need',
  'need_declined',
  'life',
  'complaint',
  'complaint.open',
  'escalation',
  'competitor',
  'competitor_aspect',
  'switching',
  'consent.do_not_market',
] as const;
export type TagFamily = (typeof TAG_FAMILIES)[number];

/** The sentence that shows a tag: quoted from the stored (redacted) conversation. */
export interface TagEvidence {
  conversationId: string;
  utterance: number;
  speaker: Speaker;
  /** The utterance's words, redacted as stored. */
  quote: string;
  /** When the conversation took place (its startedAt), not when it was uploaded. */
  at: string;
  channel: Channel;
  versions: AnalysisVersions;
}

export interface Tag {
  key: string;
  status: TagStatus;
  /** The customer's version counter at this tag's last change: monotonic per customer. */
  version: number;
  /** Conversation time of the earliest conversation that showed it. */
  firstSeen: string;
  /** Conversation time of the latest conversation that showed it. */
  lastQualified: string;
  /** lastQualified + the family's lifetime; past it the tag exits. */
  validUntil: string;
  /** Conversations that showed it. */
  count: number;
  /** 0..1: how sure the engine is (rule and model agreement, repetition). */
  confidence: number;
  /** Why an exited tag exited: `expired`, `declined` (a later decline), `resolved`, `corrected`. */
  exitReason?: string;
  /** The latest conversations that showed it, newest first (at most a few). */
  evidence: TagEvidence[];
  /** Where a tag came from when no conversation did (consent set by the CRM). */
  source?: string;
}

/** Marketing consent per customer (PIPL): what the bank may do with what it heard. */
export interface Consent {
  /** Explicit marketing consent as recorded by the CRM; undefined: never recorded. */
  marketing?: boolean;
  /** Set by a heard refusal or by the CRM: no sale or retention offer until `until`. */
  doNotMarket?: { since: string; until: string; source: 'conversation' | 'crm'; conversationId?: string };
  /** PIPL art. 24: the customer refused personalised marketing; only generic offers. */
  personalisationOptOut?: boolean;
  updatedAt?: string;
}

export const TAG_CHANGES = ['entered', 'updated', 'exited', 'deleted'] as const;
export type TagChangeKind = (typeof TAG_CHANGES)[number];

/** One entry of the tag feed. `id` is unique and stable; the feed's order is the cursor's. */
export interface TagChange {
  id: string;
  customerId: string;
  key: string;
  change: TagChangeKind;
  version: number;
  at: string;
  /** The tag after the change; absent for `deleted` (an erased customer: a tombstone). */
  tag?: Tag;
}

export interface CustomerProfile {
  customerId: string;
  /** Current version counter (the highest version of any change). */
  version: number;
  tags: Tag[];
  consent: Consent;
  /** Conversations of this customer known to the profile, newest first. */
  conversations: { id: string; at: string; channel: Channel }[];
  updatedAt?: string;
}

export function tagFamily(key: string): TagFamily | undefined {
  if (key === 'complaint.open' || key === 'consent.do_not_market') return key;
  const parts = key.split('.');
  if (parts[0] === 'competitor') return parts.length === 3 ? 'competitor_aspect' : 'competitor';
  const family = parts[0] as TagFamily;
  return (TAG_FAMILIES as readonly string[]).includes(family) && parts.length === 2 ? family : undefined;
}

const ALL_KEYS: ReadonlySet<string> = new Set([
  ...NEEDS.flatMap((n) => [`need.${n}`, `need_declined.${n}`]),
  ...LIFE_EVENTS.map((e) => `life.${e}`),
  ...COMPLAINT_CATEGORIES.map((c) => `complaint.${c}`),
  'complaint.open',
  ...ESCALATIONS.map((e) => `escalation.${e}`),
  ...COMPETITOR_IDS.flatMap((id) => [
    `competitor.${id}`,
    `switching.${id}`,
    ...ASPECTS.map((aspect) => `competitor.${id}.${aspect}`),
  ]),
  'consent.do_not_market',
]);

/** True for a key this service can produce (ids of taxonomy.md). */
export function isTagKey(key: string): boolean {
  return ALL_KEYS.has(key);
}
