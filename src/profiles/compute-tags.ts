import type { Consent, Tag, TagEvidence } from '../domain/tag.js';
import { tagFamily } from '../domain/tag.js';
import type { ProfileConfig } from './profile-config.js';
import type { ConversationSignals } from './signals.js';

/** A tag as computed from the signals, before the store gives it a version. */
export type ComputedTag = Omit<Tag, 'version'>;

interface Occurrence {
  at: number;
  signals: ConversationSignals;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Heuristic confidence: one conversation 0.6, each further one +0.15, at most 0.95. */
function confidenceOf(count: number): number {
  return Math.min(0.95, Math.round((0.6 + 0.15 * (count - 1)) * 100) / 100);
}

/**
 * A customer's tags at `now`, from every conversation's signals and the consent the CRM recorded.
 * Pure: the profile step, the expiry job and a read all call it, so they cannot disagree.
 *
 * - A tag's lifetime runs from its last conversation's time (lastQualified + lifetime = validUntil).
 * - The customer's last word wins between need.X and need_declined.X.
 * - complaint.open closes when a later conversation shows the problem resolved.
 * - consent.do_not_market comes from a heard refusal or the CRM; the latest statement wins.
 */
export function computeTags(
  signals: ConversationSignals[],
  consent: Consent,
  now: number,
  config: ProfileConfig,
): ComputedTag[] {
  const byKey = new Map<string, Occurrence[]>();
  for (const s of signals) {
    const at = Date.parse(s.at);
    for (const key of Object.keys(s.keys)) {
      const list = byKey.get(key);
      if (list) list.push({ at, signals: s });
      else byKey.set(key, [{ at, signals: s }]);
    }
  }
  const tags = new Map<string, ComputedTag>();
  for (const [key, occurrences] of byKey) {
    const family = tagFamily(key);
    if (!family) continue;
    occurrences.sort((a, b) => b.at - a.at || (a.signals.conversationId < b.signals.conversationId ? -1 : 1));
    const last = occurrences[0]!;
    const first = occurrences[occurrences.length - 1]!;
    const validUntil = last.at + config.lifetimes[family];
    const evidence: TagEvidence[] = occurrences.slice(0, config.evidencePerTag).flatMap(({ signals: s }) => {
      const e = s.keys[key]![0]!;
      return [
        {
          conversationId: s.conversationId,
          utterance: e.utterance,
          speaker: e.speaker,
          quote: e.quote,
          at: s.at,
          channel: s.channel,
          versions: s.versions,
        },
      ];
    });
    tags.set(key, {
      key,
      status: validUntil > now ? 'active' : 'exited',
      ...(validUntil > now ? {} : { exitReason: 'expired' }),
      firstSeen: iso(first.at),
      lastQualified: iso(last.at),
      validUntil: iso(validUntil),
      count: occurrences.length,
      confidence: confidenceOf(occurrences.length),
      evidence,
    });
  }

  // The last word wins: a decline after the need suppresses it, a need after the decline lifts it.
  for (const [key, tag] of tags) {
    const [family, id] = key.split('.');
    if (family !== 'need' && family !== 'need_declined') continue;
    const other = tags.get(`${family === 'need' ? 'need_declined' : 'need'}.${id}`);
    if (!other || tag.status !== 'active') continue;
    const otherIsLater = Date.parse(other.lastQualified) > Date.parse(tag.lastQualified);
    const declineWinsTie = family === 'need' && other.lastQualified === tag.lastQualified;
    if (otherIsLater || declineWinsTie) {
      tag.status = 'exited';
      tag.exitReason = family === 'need' ? 'declined' : 'needed_again';
    }
  }

  const open = tags.get('complaint.open');
  if (open?.status === 'active') {
    const since = Date.parse(open.lastQualified);
    if (signals.some((s) => s.resolved && Date.parse(s.at) > since)) {
      open.status = 'exited';
      open.exitReason = 'resolved';
    }
  }

  applyCrmConsent(tags, consent, now);
  return [...tags.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The CRM's statement against the heard one: whichever was made later wins. */
function applyCrmConsent(tags: Map<string, ComputedTag>, consent: Consent, now: number): void {
  const heard = tags.get('consent.do_not_market');
  const crm = consent.doNotMarket?.source === 'crm' ? consent.doNotMarket : undefined;
  const crmLiftedAt =
    consent.marketing === true && consent.updatedAt ? Date.parse(consent.updatedAt) : undefined;
  if (heard && crmLiftedAt !== undefined && crmLiftedAt > Date.parse(heard.lastQualified) && !crm) {
    heard.status = 'exited';
    heard.exitReason = 'consent_given';
  }
  if (!crm) return;
  const until = Date.parse(crm.until);
  if (
    heard &&
    Date.parse(heard.validUntil) >= until &&
    Date.parse(heard.lastQualified) >= Date.parse(crm.since)
  )
    return;
  tags.set('consent.do_not_market', {
    key: 'consent.do_not_market',
    status: until > now ? 'active' : 'exited',
    ...(until > now ? {} : { exitReason: 'expired' }),
    firstSeen:
      heard && heard.firstSeen < iso(Date.parse(crm.since)) ? heard.firstSeen : iso(Date.parse(crm.since)),
    lastQualified: iso(Date.parse(crm.since)),
    validUntil: iso(until),
    count: (heard?.count ?? 0) + 1,
    confidence: 1,
    evidence: heard?.evidence ?? [],
    source: 'crm',
  });
}

/**
 * The part of a tag that makes a change: what a CRM would act on. Engine versions inside the
 * evidence are left out, so re-analysing with a new model that finds the same thing changes nothing.
 */
export function tagFingerprint(tag: ComputedTag): string {
  return JSON.stringify([
    tag.status,
    tag.exitReason ?? '',
    tag.firstSeen,
    tag.lastQualified,
    tag.validUntil,
    tag.count,
    tag.confidence,
    tag.source ?? '',
    tag.evidence.map((e) => [e.conversationId, e.utterance, e.quote]),
  ]);
}
