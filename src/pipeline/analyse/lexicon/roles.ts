import type { Aspect, ComplaintCategory, CompetitorId, Escalation, LifeEvent, Need } from '../../../domain/labels.js';

/** What a term means to the detectors. One term (string) may have several roles. */
export type CueKind =
  | 'neg' | 'negBack' | 'hypo' | 'consequent' | 'hypoBack' | 'clause' | 'neutral'
  | 'desire' | 'action' | 'question' | 'past' | 'pastBefore' | 'decline' | 'service'
  | 'offer' | 'accept' | 'refuse' | 'negCue' | 'trigger' | 'triggerExclude'
  | 'self' | 'thirdParty' | 'otherSuffix' | 'switchAnaphoric';

type CategoryRole<K extends string> = { kind: K; category: ComplaintCategory };
type NeedRole<K extends string> = { kind: K; need: Need };
type LifeRole<K extends string> = { kind: K; event: LifeEvent };

export type Role =
  | { kind: CueKind }
  | CategoryRole<'catTerm'>
  | CategoryRole<'catTopic'>
  | CategoryRole<'catCue'>
  | CategoryRole<'catExclude'>
  | { kind: 'escalation'; escalation: Escalation; weak: boolean }
  | { kind: 'compName'; id: CompetitorId; weak: boolean }
  | { kind: 'aspect'; aspect: Aspect }
  | NeedRole<'needTerm'>
  | NeedRole<'needProduct'>
  | NeedRole<'needExclude'>
  | { kind: 'needContext'; need: Need; to: Need }
  | LifeRole<'lifeTerm'>
  | LifeRole<'lifeExclude'>
  | { kind: 'sentiment'; weight: number }
  | { kind: 'intensifier'; factor: number };

export type RoleKind = Role['kind'];

/** Families for hiding: a longer hit hides a shorter one of the same family. */
export type Family = 'cue' | 'complaint' | 'escalation' | 'competitor' | 'aspect' | 'need' | 'life' | 'exclude';

const FAMILY: Record<RoleKind, Family> = {
  neg: 'cue', negBack: 'cue', hypo: 'cue', consequent: 'cue', hypoBack: 'cue', clause: 'cue', neutral: 'exclude',
  desire: 'cue', action: 'cue', question: 'cue', past: 'cue', pastBefore: 'cue', decline: 'cue', service: 'cue',
  offer: 'cue', accept: 'cue', refuse: 'cue', negCue: 'cue', catCue: 'cue', sentiment: 'cue', intensifier: 'cue',
  switchAnaphoric: 'cue', needContext: 'cue',
  trigger: 'complaint', catTerm: 'complaint', catTopic: 'complaint',
  triggerExclude: 'exclude', catExclude: 'exclude', needExclude: 'exclude', lifeExclude: 'exclude',
  escalation: 'escalation',
  compName: 'competitor', self: 'competitor', thirdParty: 'competitor', otherSuffix: 'competitor',
  aspect: 'aspect', needTerm: 'need', needProduct: 'need', lifeTerm: 'life',
};

export function familyOf(role: Role): Family {
  return FAMILY[role.kind];
}

/** Does an exclusion role `ex` cancel role `r` of a hit it contains? */
export function excludes(ex: Role, r: Role): boolean {
  switch (ex.kind) {
    case 'neutral':
      return true;
    case 'triggerExclude':
      return r.kind === 'trigger';
    case 'catExclude':
      return (r.kind === 'catTerm' || r.kind === 'catTopic') && r.category === ex.category;
    case 'needExclude':
      return (r.kind === 'needTerm' || r.kind === 'needProduct') && r.need === ex.need;
    case 'lifeExclude':
      return r.kind === 'lifeTerm' && r.event === ex.event;
    default:
      return false;
  }
}
