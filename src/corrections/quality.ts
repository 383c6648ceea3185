import { byApplicationOrder, type Correction } from '../domain/correction.js';

export interface LabelQuality {
  label: string;
  tp: number;
  fp: number;
  fn: number;
  /** null when the engine never gave the label on a reviewed conversation (no denominator). */
  precision: number | null;
  /** null when the label occurs on no reviewed conversation, neither given nor added. */
  recall: number | null;
  /** Correction records naming this label. */
  corrections: number;
}

export interface QualityReport {
  labels: LabelQuality[];
  conversationsReviewed: number;
}

type Counted = Pick<Correction, 'id' | 'conversationId' | 'label' | 'labelsBefore' | 'labelsAfter' | 'at'>;

/**
 * Per-label precision and recall estimated from corrections. A conversation with at least one
 * correction counts as reviewed. Per reviewed conversation, the engine's labels are those before its
 * first correction and the analyst's those after its last: a label the analyst took away (directly, or
 * with what depends on it) is a false positive, one they added is a false negative, one they left is a
 * true positive. An add undone by a remove counts as nothing.
 *
 * Biased: analysts review the conversations they look at (search hits, suspicious labels), not a
 * random sample, and a label nobody looked at counts as right. See README, "Analyst corrections".
 */
export function estimateQuality(corrections: readonly Counted[]): QualityReport {
  const byConversation = new Map<string, Counted[]>();
  for (const c of corrections) {
    const list = byConversation.get(c.conversationId);
    if (list) list.push(c);
    else byConversation.set(c.conversationId, [c]);
  }
  const counts = new Map<string, LabelQuality>();
  const entry = (label: string): LabelQuality => {
    let found = counts.get(label);
    if (found === undefined) {
      found = { label, tp: 0, fp: 0, fn: 0, precision: null, recall: null, corrections: 0 };
      counts.set(label, found);
    }
    return found;
  };
  for (const list of byConversation.values()) {
    list.sort(byApplicationOrder);
    const engine = new Set(list[0]!.labelsBefore);
    const analyst = new Set(list.at(-1)!.labelsAfter);
    for (const label of engine) entry(label)[analyst.has(label) ? 'tp' : 'fp']++;
    for (const label of analyst) if (!engine.has(label)) entry(label).fn++;
  }
  for (const c of corrections) entry(c.label).corrections++;
  const ratio = (a: number, b: number): number | null => (a + b === 0 ? null : round(a / (a + b)));
  const labels = [...counts.values()]
    .map((q) => ({ ...q, precision: ratio(q.tp, q.fp), recall: ratio(q.tp, q.fn) }))
    .sort((a, b) => b.fp + b.fn - (a.fp + a.fn) || (a.label < b.label ? -1 : 1));
  return { labels, conversationsReviewed: byConversation.size };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
