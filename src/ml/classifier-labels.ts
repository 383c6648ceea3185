import {
  ASPECTS,
  COMPLAINT_CATEGORIES,
  ESCALATIONS,
  LIFE_EVENTS,
  NEEDS,
  type Aspect,
  type ComplaintCategory,
  type Escalation,
  type LifeEvent,
  type Need,
} from '../domain/labels.js';

/**
 * The label space of the trained classifier, in output order: `complaint`, `complaint:<category>`,
 * `need:<id>`, `declinedNeed:<id>`, `lifeEvent:<id>` (ids of ../shared/taxonomy.md). Competitors
 * and escalation are left to rules (names and keywords decide them better than a bag of words).
 */
export const CLASSIFIER_LABELS: readonly string[] = [
  'complaint',
  ...COMPLAINT_CATEGORIES.map((c) => `complaint:${c}`),
  ...NEEDS.map((n) => `need:${n}`),
  ...NEEDS.map((n) => `declinedNeed:${n}`),
  ...LIFE_EVENTS.map((e) => `lifeEvent:${e}`),
];

/**
 * The label space of the utterance model (pipelines/train-utterance-model.ts): what one customer
 * utterance says, in the flat form of the analysis' evidence, plus the aspect a competitor remark is
 * about (`aspect:<aspect>`; the competitor comes from the rules), switching (`switching`) and the
 * customer's tone (`tone:negative`, `tone:positive`, learned on whole customer sides).
 */
export const UTTERANCE_MODEL_LABELS: readonly string[] = [
  ...CLASSIFIER_LABELS,
  ...ESCALATIONS.map((e) => `escalation:${e}`),
  ...ASPECTS.map((a) => `aspect:${a}`),
  'switching',
  'tone:negative',
  'tone:positive',
];

export type ParsedClassifierLabel =
  | { kind: 'complaint' }
  | { kind: 'escalation'; id: Escalation }
  | { kind: 'aspect'; id: Aspect }
  | { kind: 'switching' }
  | { kind: 'tone'; id: 'negative' | 'positive' }
  | { kind: 'complaintCategory'; id: ComplaintCategory }
  | { kind: 'need'; id: Need }
  | { kind: 'declinedNeed'; id: Need }
  | { kind: 'lifeEvent'; id: LifeEvent };

function member<T extends string>(list: readonly T[], id: string): T | null {
  return (list as readonly string[]).includes(id) ? (id as T) : null;
}

/** Maps a classifier label back to the taxonomy; null for labels outside it (a dropped-in model's). */
export function parseClassifierLabel(label: string): ParsedClassifierLabel | null {
  if (label === 'complaint') return { kind: 'complaint' };
  if (label === 'switching') return { kind: 'switching' };
  if (label === 'tone:negative' || label === 'tone:positive')
    return { kind: 'tone', id: label === 'tone:negative' ? 'negative' : 'positive' };
  const [prefix, id = ''] = label.split(':', 2);
  switch (prefix) {
    case 'complaint': {
      const c = member(COMPLAINT_CATEGORIES, id);
      return c ? { kind: 'complaintCategory', id: c } : null;
    }
    case 'need':
    case 'declinedNeed': {
      const n = member(NEEDS, id);
      if (!n) return null;
      return prefix === 'need' ? { kind: 'need', id: n } : { kind: 'declinedNeed', id: n };
    }
    case 'escalation': {
      const e = member(ESCALATIONS, id);
      return e ? { kind: 'escalation', id: e } : null;
    }
    case 'aspect': {
      const a = member(ASPECTS, id);
      return a ? { kind: 'aspect', id: a } : null;
    }
    case 'lifeEvent': {
      const e = member(LIFE_EVENTS, id);
      return e ? { kind: 'lifeEvent', id: e } : null;
    }
    default:
      return null;
  }
}

/** The labelled part of a corpus record that the classifier learns (see pipelines/corpus). */
export interface ExpectedLabels {
  complaint: boolean;
  categories?: readonly string[];
  needs?: readonly string[];
  declinedNeeds?: readonly string[];
  lifeEvents?: readonly string[];
}

/** The classifier labels a corpus record carries (only ids of the label space). */
export function labelsOfExpected(e: ExpectedLabels): string[] {
  const out: string[] = [];
  if (e.complaint) out.push('complaint');
  for (const c of e.categories ?? []) out.push(`complaint:${c}`);
  for (const n of e.needs ?? []) out.push(`need:${n}`);
  for (const n of e.declinedNeeds ?? []) out.push(`declinedNeed:${n}`);
  for (const l of e.lifeEvents ?? []) out.push(`lifeEvent:${l}`);
  const known = new Set(CLASSIFIER_LABELS);
  return [...new Set(out)].filter((l) => known.has(l));
}
