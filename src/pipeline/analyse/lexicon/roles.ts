import type {
  Aspect,
  ComplaintCategory,
  CompetitorId,
  Escalation,
  LifeEvent,
  Need,
} from '../../../domain/labels.js';

/** What a term means to the detectors. One term (string) may have several roles. */
export type CueKind =
  | 'neg'
  | 'negBack'
  | 'hypo'
  | 'hypoBack'
  | 'unreal'
  | 'clause'
  | 'neutral'
  | 'desire'
  | 'action'
  | 'question'
  | 'pastBefore'
  | 'decline'
  | 'marketing'
  | 'service'
  | 'offer'
  | 'accept'
  | 'refuse'
  | 'negCue'
  | 'trigger'
  | 'triggerExclude'
  | 'self'
  | 'thirdParty'
  | 'otherSuffix'
  | 'switchAnaphoric'
  | 'praise';

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
export type Family =
  'cue' | 'complaint' | 'escalation' | 'competitor' | 'aspect' | 'need' | 'life' | 'exclude';

const FAMILY: Record<RoleKind, Family> = {
  neg: 'cue',
  negBack: 'cue',
  hypo: 'cue',
  hypoBack: 'cue',
  unreal: 'cue',
  praise: 'cue',
  clause: 'cue',
  neutral: 'exclude',
  desire: 'cue',
  action: 'cue',
  question: 'cue',
  pastBefore: 'cue',
  decline: 'cue',
  marketing: 'cue',
  service: 'cue',
  offer: 'cue',
  accept: 'cue',
  refuse: 'cue',
  negCue: 'cue',
  catCue: 'cue',
  sentiment: 'cue',
  intensifier: 'cue',
  switchAnaphoric: 'cue',
  needContext: 'cue',
  trigger: 'complaint',
  catTerm: 'complaint',
  catTopic: 'complaint',
  triggerExclude: 'exclude',
  catExclude: 'exclude',
  needExclude: 'exclude',
  lifeExclude: 'exclude',
  escalation: 'escalation',
  compName: 'competitor',
  self: 'competitor',
  thirdParty: 'competitor',
  otherSuffix: 'competitor',
  aspect: 'aspect',
  needTerm: 'need',
  needProduct: 'need',
  lifeTerm: 'life',
};

export function familyOf(role: Role): Family {
  return FAMILY[role.kind];
}

const FAMILY_BITS: Record<Family, number> = {
  cue: 0,
  exclude: 0,
  complaint: 1,
  escalation: 2,
  competitor: 4,
  aspect: 8,
  need: 16,
  life: 32,
};
const KIND_BITS = new Map<RoleKind, number>();
for (const kind of Object.keys(FAMILY) as RoleKind[]) {
  if (FAMILY[kind] === 'cue') KIND_BITS.set(kind, 1 << KIND_BITS.size);
}
/** Cue kinds that change the meaning of the cues inside them (不需要 is not 需要). */
const OVERRIDING: RoleKind[] = [
  'neg',
  'negBack',
  'decline',
  'refuse',
  'negCue',
  'catCue',
  'sentiment',
  'hypo',
];

/** Precomputed facts about a term's roles, so hiding is bit tests instead of searches. */
export interface TermMeta {
  neutral: boolean;
  /** families of the term's entity roles (everything but cues and exclusions) */
  entityMask: number;
  /** kinds of the term's cue roles */
  cueMask: number;
  overriding: boolean;
  exclusions: Role[];
  catTerm: boolean;
  /** per role: its family bit (entity) or kind bit (cue) */
  roleBits: number[];
  roleIsCue: boolean[];
}

export function termMeta(roles: readonly Role[]): TermMeta {
  const meta: TermMeta = {
    neutral: false,
    entityMask: 0,
    cueMask: 0,
    overriding: false,
    exclusions: [],
    catTerm: false,
    roleBits: [],
    roleIsCue: [],
  };
  for (const r of roles) {
    const family = FAMILY[r.kind];
    const cue = family === 'cue';
    const bit = cue ? (KIND_BITS.get(r.kind) ?? 0) : FAMILY_BITS[family];
    meta.roleBits.push(bit);
    meta.roleIsCue.push(cue);
    if (r.kind === 'neutral') meta.neutral = true;
    if (family === 'exclude') meta.exclusions.push(r);
    else if (cue) meta.cueMask |= bit;
    else meta.entityMask |= bit;
    if (OVERRIDING.includes(r.kind)) meta.overriding = true;
    if (r.kind === 'catTerm') meta.catTerm = true;
  }
  return meta;
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
