/**
 * Analyst corrections: a label on one customer utterance marked wrong (`remove`) or missed (`add`).
 * Labels are written in the flat form of evidence labels (taxonomy.md ids after a dimension prefix).
 */
import type { Analysis, AnalysisVersions } from './analysis.js';
import {
  ASPECTS,
  COMPETITOR_IDS,
  COMPLAINT_CATEGORIES,
  ESCALATIONS,
  LIFE_EVENTS,
  NEEDS,
  type Aspect,
  type ComplaintCategory,
  type CompetitorId,
  type Escalation,
  type LifeEvent,
  type Need,
} from './labels.js';

export const CORRECTION_ACTIONS = ['add', 'remove'] as const;
export type CorrectionAction = (typeof CORRECTION_ACTIONS)[number];

/** One stored correction. */
export interface Correction {
  id: string;
  conversationId: string;
  /** Index of the customer utterance the analyst marked. */
  utterance: number;
  /** That utterance's text, passed through the redactor once more. */
  text: string;
  /** Flat label, e.g. `complaint:fees`, `aspect:cmb/rate` (see LABEL_FORMS). */
  label: string;
  action: CorrectionAction;
  /** Flat labels of the conversation's analysis just before and just after this correction. */
  labelsBefore: string[];
  labelsAfter: string[];
  /** The versions of the engine whose analysis was corrected. */
  versions: AnalysisVersions;
  /** Id and name of the API key that made it. */
  actor: string;
  actorName: string;
  /** ISO 8601; corrections of one conversation apply in (at, id) order. */
  at: string;
}

/** A flat label, parsed. */
export type FlatLabel =
  | { kind: 'complaint' }
  | { kind: 'category'; value: ComplaintCategory }
  | { kind: 'escalation'; value: Escalation }
  | { kind: 'competitor'; competitor: CompetitorId }
  | { kind: 'aspect'; competitor: CompetitorId; aspect: Aspect }
  | { kind: 'switching'; competitor: CompetitorId }
  | { kind: 'need'; value: Need }
  | { kind: 'declinedNeed'; value: Need }
  | { kind: 'lifeEvent'; value: LifeEvent };

/** The accepted forms and the ids each placeholder takes, for error messages and docs. */
export const LABEL_FORMS: readonly { form: string; values: readonly string[] }[] = [
  { form: 'complaint', values: [] },
  { form: 'complaint:<category>', values: COMPLAINT_CATEGORIES },
  { form: 'escalation:<escalation>', values: ESCALATIONS },
  { form: 'competitor:<competitor>', values: COMPETITOR_IDS },
  { form: 'aspect:<competitor>/<aspect>', values: ASPECTS },
  { form: 'switching:<competitor>', values: COMPETITOR_IDS },
  { form: 'need:<need>', values: NEEDS },
  { form: 'declinedNeed:<need>', values: NEEDS },
  { form: 'lifeEvent:<lifeEvent>', values: LIFE_EVENTS },
];

const member = <T extends string>(list: readonly T[], value: string | undefined): value is T =>
  value !== undefined && (list as readonly string[]).includes(value);

/** Parses a flat label; undefined when it is not one of LABEL_FORMS with known ids. */
export function parseFlatLabel(label: string): FlatLabel | undefined {
  if (label === 'complaint') return { kind: 'complaint' };
  const at = label.indexOf(':');
  if (at < 0) return undefined;
  const prefix = label.slice(0, at);
  const value = label.slice(at + 1);
  switch (prefix) {
    case 'complaint':
      return member(COMPLAINT_CATEGORIES, value) ? { kind: 'category', value } : undefined;
    case 'escalation':
      return member(ESCALATIONS, value) ? { kind: 'escalation', value } : undefined;
    case 'competitor':
      return member(COMPETITOR_IDS, value) ? { kind: 'competitor', competitor: value } : undefined;
    case 'switching':
      return member(COMPETITOR_IDS, value) ? { kind: 'switching', competitor: value } : undefined;
    case 'aspect': {
      const [competitor, aspect, ...rest] = value.split('/');
      return rest.length === 0 && member(COMPETITOR_IDS, competitor) && member(ASPECTS, aspect)
        ? { kind: 'aspect', competitor, aspect }
        : undefined;
    }
    case 'need':
      return member(NEEDS, value) ? { kind: 'need', value } : undefined;
    case 'declinedNeed':
      return member(NEEDS, value) ? { kind: 'declinedNeed', value } : undefined;
    case 'lifeEvent':
      return member(LIFE_EVENTS, value) ? { kind: 'lifeEvent', value } : undefined;
    default:
      return undefined;
  }
}

/** Why a label is refused: names it and lists every valid form with the ids its placeholders take. */
export function unknownLabelMessage(label: string): string {
  const placeholders = new Map<string, readonly string[]>();
  for (const { form, values } of LABEL_FORMS) {
    const names = form.match(/<[a-zA-Z]+>/g) ?? [];
    const last = names.at(-1);
    if (last !== undefined) placeholders.set(last, values);
  }
  placeholders.set('<competitor>', COMPETITOR_IDS);
  const lists = [...placeholders].map(([name, values]) => `${name} one of ${values.join(', ')}`);
  return `unknown label ${JSON.stringify(label)}; valid forms: ${LABEL_FORMS.map((f) => f.form).join(' | ')}; ${lists.join('; ')}`;
}

/** Every label of an analysis in the flat form, sorted. */
export function flatLabels(analysis: Analysis): string[] {
  const labels = new Set<string>();
  if (analysis.complaint.is) labels.add('complaint');
  for (const c of analysis.complaint.categories) labels.add(`complaint:${c}`);
  for (const e of analysis.complaint.escalation) labels.add(`escalation:${e}`);
  for (const c of analysis.competitors) {
    labels.add(`competitor:${c.id}`);
    for (const a of c.aspects) labels.add(`aspect:${c.id}/${a}`);
    if (c.switchingIntent) labels.add(`switching:${c.id}`);
  }
  for (const n of analysis.needs) labels.add(`need:${n}`);
  for (const n of analysis.declinedNeeds) labels.add(`declinedNeed:${n}`);
  for (const l of analysis.lifeEvents) labels.add(`lifeEvent:${l}`);
  return [...labels].sort();
}

/** Corrections of one conversation in the order they apply: oldest first, then by id. */
export function byApplicationOrder(
  a: Pick<Correction, 'at' | 'id'>,
  b: Pick<Correction, 'at' | 'id'>,
): number {
  return Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
