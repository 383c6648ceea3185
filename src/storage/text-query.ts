/**
 * The full-text expression, filters and aggregations every ConversationStore understands, and the
 * helpers that make the stores agree: how text becomes index units and how labels become keys.
 *
 * Matching is per utterance over "units": each CJK character is one unit, a run of ASCII letters
 * and digits is one unit, any other character is one unit. A query word matches where its units
 * occur contiguously in one utterance, so 「登不上」 finds 「网银登不上去」 whatever the segmenter
 * did with either text, and a NEAR never spans two utterances.
 */
import type {
  Aspect,
  ComplaintCategory,
  CompetitorId,
  Escalation,
  LifeEvent,
  Need,
} from '../domain/labels.js';
import type { ProcessedConversation } from '../domain/processed-conversation.js';
import { compareCodePoints, toTerms } from './search-query.js';

export type SpeakerScope = 'all' | 'customer' | 'agent';

/** A boolean expression whose leaves are matched inside single utterances. */
export type TextQuery =
  | { kind: 'phrase'; tokens: string[]; scope?: SpeakerScope }
  | { kind: 'near'; left: string[]; right: string[]; distance: number; scope?: SpeakerScope }
  | { kind: 'and'; children: TextQuery[] }
  | { kind: 'or'; children: TextQuery[] }
  | { kind: 'not'; child: TextQuery };

export const MAX_NEAR_DISTANCE = 50;

export interface ConversationFilters {
  agentIds?: string[];
  customerIds?: string[];
  complaint?: boolean;
  complaintCategories?: ComplaintCategory[];
  escalations?: Escalation[];
  competitors?: CompetitorId[];
  aspects?: Aspect[];
  /** Conversations where the customer says they move (or moved) business to any competitor. */
  switchingIntent?: boolean;
  /** Conversations where the customer says they move business to one of these competitors. */
  switchingCompetitors?: CompetitorId[];
  needs?: Need[];
  declinedNeeds?: Need[];
  lifeEvents?: LifeEvent[];
  sentimentMin?: number;
  sentimentMax?: number;
  minUtterances?: number;
  maxUtterances?: number;
}

/** Label dimensions: the filter field, the key prefix in the label index, the facet name. */
export const LABEL_DIMENSIONS = [
  { facet: 'complaintCategory', prefix: 'complaint', filter: 'complaintCategories' },
  { facet: 'escalation', prefix: 'escalation', filter: 'escalations' },
  { facet: 'competitor', prefix: 'competitor', filter: 'competitors' },
  { facet: 'aspect', prefix: 'aspect', filter: 'aspects' },
  { facet: 'switchingIntent', prefix: 'switching', filter: 'switchingCompetitors' },
  { facet: 'need', prefix: 'need', filter: 'needs' },
  { facet: 'declinedNeed', prefix: 'declinedNeed', filter: 'declinedNeeds' },
  { facet: 'lifeEvent', prefix: 'lifeEvent', filter: 'lifeEvents' },
] as const;

export type LabelFacet = (typeof LABEL_DIMENSIONS)[number]['facet'];
export type FacetName = LabelFacet | 'channel' | 'agent';
export const FACET_NAMES: readonly FacetName[] = [
  ...LABEL_DIMENSIONS.map((d) => d.facet),
  'channel',
  'agent',
];

export interface FacetValue {
  value: string;
  count: number;
}
export type FacetCounts = Record<FacetName, FacetValue[]>;

/** Values kept per facet (agents: more, analysts pick from them). */
export const FACET_SIZE = 30;
export const AGENT_FACET_SIZE = 100;

export type HistogramInterval = 'day' | 'week' | 'month';
export interface HistogramBucket {
  /** First day of the bucket in Asia/Shanghai, YYYY-MM-DD (weeks start on Monday). */
  key: string;
  count: number;
}

/** Label keys of a conversation (`complaint:fees`, `switching:cmb`, ...), distinct. */
export function labelKeys(doc: ProcessedConversation): string[] {
  const a = doc.analysis;
  return [
    ...new Set([
      ...a.complaint.categories.map((x) => `complaint:${x}`),
      ...a.complaint.escalation.map((x) => `escalation:${x}`),
      ...a.competitors.map((x) => `competitor:${x.id}`),
      ...a.competitors.flatMap((x) => x.aspects.map((y) => `aspect:${y}`)),
      ...a.competitors.filter((x) => x.switchingIntent).map((x) => `switching:${x.id}`),
      ...a.needs.map((x) => `need:${x}`),
      ...a.declinedNeeds.map((x) => `declinedNeed:${x}`),
      ...a.lifeEvents.map((x) => `lifeEvent:${x}`),
    ]),
  ];
}

/** The label-key groups a filter requires: a conversation needs one key of every group. */
export function labelKeyGroups(filters: ConversationFilters | undefined): string[][] {
  if (filters === undefined) return [];
  const groups: string[][] = [];
  for (const dim of LABEL_DIMENSIONS) {
    if (dim.filter === undefined) continue;
    const values = filters[dim.filter];
    if (values !== undefined && values.length > 0) groups.push(values.map((v) => `${dim.prefix}:${v}`));
  }
  return groups;
}

const UNIT = /[a-z0-9]+|[^a-z0-9]/gu;

/** Units of already-segmented tokens: lower-cased, whitespace dropped (see the file comment). */
export function toUnits(tokens: readonly string[]): string[] {
  const units: string[] = [];
  for (const term of toTerms(tokens)) units.push(...(term.match(UNIT) ?? []));
  return units;
}

/** Units of each utterance, in order. */
export function utteranceUnits(doc: ProcessedConversation): string[][] {
  return doc.conversation.utterances.map((_, i) => toUnits(doc.tokens[i] ?? []));
}

/** The speaker field an utterance is indexed under. */
export function speakerField(speaker: string): 'customer' | 'agent' | 'other' {
  return speaker === 'customer' || speaker === 'agent' ? speaker : 'other';
}

/** Positive leaves of an expression (under no NOT), for scoring. */
export function positiveLeaves(query: TextQuery, negated = false): TextQuery[] {
  switch (query.kind) {
    case 'phrase':
    case 'near':
      return negated ? [] : [query];
    case 'and':
    case 'or':
      return query.children.flatMap((c) => positiveLeaves(c, negated));
    case 'not':
      return positiveLeaves(query.child, !negated);
  }
}

/**
 * Drops leaves without units and empty groups; undefined when nothing is left (match all).
 * A NEAR with one empty side becomes a phrase of the other side.
 */
export function simplifyTextQuery(query: TextQuery | undefined): TextQuery | undefined {
  if (query === undefined) return undefined;
  switch (query.kind) {
    case 'phrase': {
      const units = toUnits(query.tokens);
      return units.length === 0 ? undefined : { ...query, tokens: units };
    }
    case 'near': {
      const left = toUnits(query.left);
      const right = toUnits(query.right);
      const scope = query.scope === undefined ? {} : { scope: query.scope };
      if (left.length === 0 && right.length === 0) return undefined;
      if (left.length === 0 || right.length === 0)
        return { kind: 'phrase', tokens: [...left, ...right], ...scope };
      const distance = Math.max(0, Math.min(MAX_NEAR_DISTANCE, Math.floor(query.distance)));
      return { kind: 'near', left, right, distance, ...scope };
    }
    case 'and':
    case 'or': {
      const children = query.children.map(simplifyTextQuery).filter((c): c is TextQuery => c !== undefined);
      if (children.length === 0) return undefined;
      return children.length === 1 ? children[0] : { kind: query.kind, children };
    }
    case 'not': {
      const child = simplifyTextQuery(query.child);
      return child === undefined ? undefined : { kind: 'not', child };
    }
  }
}

/** Turns grouped rows into FacetCounts ordered like every store: count desc, value asc. */
export function toFacetCounts(
  labelRows: { k: string; n: number }[],
  channel: { k: string; n: number }[],
  agent: { k: string; n: number }[],
): FacetCounts {
  const out = Object.fromEntries(
    FACET_NAMES.map((n) => [n, [] as { value: string; count: number }[]]),
  ) as FacetCounts;
  for (const { k, n } of labelRows) {
    const at = k.indexOf(':');
    const dim = LABEL_DIMENSIONS.find((d) => d.prefix === k.slice(0, at));
    if (dim !== undefined) out[dim.facet].push({ value: k.slice(at + 1), count: n });
  }
  out.channel = channel.map(({ k, n }) => ({ value: k, count: n }));
  out.agent = agent.map(({ k, n }) => ({ value: k, count: n }));
  for (const name of FACET_NAMES) {
    out[name as FacetName] = out[name as FacetName]
      .sort((a, b) => b.count - a.count || compareCodePoints(a.value, b.value))
      .slice(0, name === 'agent' ? AGENT_FACET_SIZE : FACET_SIZE);
  }
  return out;
}
