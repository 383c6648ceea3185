/** Precision, recall and F1 of multi-label predictions, per label and per label group. */
export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  /** Gold positives. */
  support: number;
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

function prf({ tp, fp, fn }: Counts): Prf {
  const precision = tp + fp === 0 ? (fn === 0 ? 1 : 0) : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const r = (x: number): number => Math.round(x * 10_000) / 10_000;
  return { precision: r(precision), recall: r(recall), f1: r(f1), support: tp + fn };
}

/** Label groups reported separately: the prefix before ':' (complaint:x → complaintCategory). */
export function groupOf(label: string): string {
  if (label === 'complaint') return 'complaint';
  const prefix = label.split(':')[0] ?? label;
  return prefix === 'complaint' ? 'complaintCategory' : prefix;
}

export interface Evaluation {
  perLabel: Record<string, Prf>;
  /** Micro-averaged over the labels of each group, plus "all". */
  perGroup: Record<string, Prf>;
}

export function evaluate(
  labels: readonly string[],
  gold: readonly ReadonlySet<string>[],
  predicted: readonly ReadonlySet<string>[],
): Evaluation {
  const per = new Map<string, Counts>(labels.map((l) => [l, { tp: 0, fp: 0, fn: 0 }]));
  gold.forEach((g, i) => {
    const p = predicted[i] ?? new Set<string>();
    for (const l of labels) {
      const c = per.get(l)!;
      if (g.has(l) && p.has(l)) c.tp++;
      else if (p.has(l)) c.fp++;
      else if (g.has(l)) c.fn++;
    }
  });
  const groups = new Map<string, Counts>();
  const add = (key: string, c: Counts): void => {
    const acc = groups.get(key) ?? { tp: 0, fp: 0, fn: 0 };
    groups.set(key, { tp: acc.tp + c.tp, fp: acc.fp + c.fp, fn: acc.fn + c.fn });
  };
  for (const [l, c] of per) {
    add(groupOf(l), c);
    add('all', c);
  }
  return {
    perLabel: Object.fromEntries([...per].map(([l, c]) => [l, prf(c)])),
    perGroup: Object.fromEntries([...groups].map(([g, c]) => [g, prf(c)])),
  };
}

export function formatEvaluation(e: Evaluation, opts: { allLabels?: boolean } = {}): string {
  const row = (name: string, m: Prf): string =>
    `${name.padEnd(34)} ${m.precision.toFixed(3)}  ${m.recall.toFixed(3)}  ${m.f1.toFixed(3)}  ${String(m.support).padStart(5)}`;
  const lines = [`${'group / label'.padEnd(34)} prec   rec    F1     support`];
  for (const [g, m] of Object.entries(e.perGroup)) lines.push(row(g, m));
  if (opts.allLabels) {
    lines.push('');
    for (const [l, m] of Object.entries(e.perLabel))
      if (m.support > 0 || m.precision < 1) lines.push(row(l, m));
  }
  return lines.join('\n');
}
