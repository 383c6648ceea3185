import type { Analysis } from '../../src/domain/analysis.js';
import type { Expected } from '../corpus/types.js';

/** Counts for one label or one dimension. */
export class Score {
  tp = 0;
  fp = 0;
  fn = 0;
  get precision(): number {
    return this.tp + this.fp === 0 ? 1 : this.tp / (this.tp + this.fp);
  }
  get recall(): number {
    return this.tp + this.fn === 0 ? 1 : this.tp / (this.tp + this.fn);
  }
  get f1(): number {
    const p = this.precision;
    const r = this.recall;
    return p + r === 0 ? 0 : (2 * p * r) / (p + r);
  }
  get support(): number {
    return this.tp + this.fn;
  }
}

export type Dimension =
  | 'complaint'
  | 'categories'
  | 'escalation'
  | 'competitors'
  | 'aspects'
  | 'switching'
  | 'needs'
  | 'declinedNeeds'
  | 'lifeEvents';
export const DIMENSIONS: Dimension[] = [
  'complaint',
  'categories',
  'escalation',
  'competitors',
  'aspects',
  'switching',
  'needs',
  'declinedNeeds',
  'lifeEvents',
];

/** The labels of one dimension as comparable strings. */
export function labelsOf(d: Dimension, x: Expected | Analysis): string[] {
  const e: Expected =
    'evidence' in x
      ? {
          complaint: x.complaint.is,
          categories: x.complaint.categories,
          escalation: x.complaint.escalation,
          competitors: x.competitors,
          needs: x.needs,
          declinedNeeds: x.declinedNeeds,
          lifeEvents: x.lifeEvents,
        }
      : x;
  switch (d) {
    case 'complaint':
      return e.complaint ? ['complaint'] : [];
    case 'categories':
      return e.categories;
    case 'escalation':
      return e.escalation;
    case 'competitors':
      return e.competitors.map((c) => c.id);
    case 'aspects':
      return e.competitors.flatMap((c) => c.aspects.map((a) => `${c.id}/${a}`));
    case 'switching':
      return e.competitors.filter((c) => c.switchingIntent).map((c) => c.id);
    case 'needs':
      return e.needs;
    case 'declinedNeeds':
      return e.declinedNeeds;
    case 'lifeEvents':
      return e.lifeEvents;
  }
}

export interface Scores {
  overall: Record<Dimension, Score>;
  perLabel: Record<Dimension, Map<string, Score>>;
}

export function emptyScores(): Scores {
  const overall = {} as Record<Dimension, Score>;
  const perLabel = {} as Record<Dimension, Map<string, Score>>;
  for (const d of DIMENSIONS) {
    overall[d] = new Score();
    perLabel[d] = new Map();
  }
  return { overall, perLabel };
}

/** Add one conversation; returns its number of errors (false positives + false negatives). */
export function addExample(scores: Scores, expected: Expected, actual: Analysis): number {
  let errors = 0;
  for (const d of DIMENSIONS) {
    const want = new Set(labelsOf(d, expected));
    const got = new Set(labelsOf(d, actual));
    const label = (l: string): Score => {
      const key = d === 'aspects' ? (l.split('/')[1] ?? l) : l;
      let s = scores.perLabel[d].get(key);
      if (!s) scores.perLabel[d].set(key, (s = new Score()));
      return s;
    };
    for (const l of got) {
      if (want.has(l)) {
        scores.overall[d].tp++;
        label(l).tp++;
      } else {
        scores.overall[d].fp++;
        label(l).fp++;
        if (d !== 'aspects') errors++;
      }
    }
    for (const l of want) {
      if (got.has(l)) continue;
      scores.overall[d].fn++;
      label(l).fn++;
      if (d !== 'aspects') errors++;
    }
  }
  return errors;
}
