import type { CompiledPattern } from '../lexicon/patterns.js';
import type { Span, UtteranceContext } from './utterance-context.js';

/**
 * All non-overlapping matches of a pattern: elements in order, each within its word gap of the
 * previous one, spanning at most two clauses. `comps` are the competitor mentions standing for `$COMP`.
 */
export interface PatternMatch extends Span {
  /** the matched element spans, in order */
  elements: Span[];
}

export function matchPattern(
  ctx: UtteranceContext,
  pattern: CompiledPattern,
  comps: readonly Span[],
): PatternMatch[] {
  const matches: PatternMatch[] = [];
  const candidates: (readonly Span[])[] = [];
  for (const el of pattern.elements) {
    let list: readonly Span[];
    if (el.comp) list = comps;
    else if (el.terms.length === 1) list = ctx.hitsOf(el.terms[0] as number);
    else {
      const merged: Span[] = [];
      for (const t of el.terms) for (const h of ctx.hitsOf(t)) merged.push(h);
      merged.sort((a, b) => a.start - b.start);
      list = merged;
    }
    if (list.length === 0) return [];
    candidates.push(list);
  }
  const first = candidates[0] ?? [];
  let after = -1;
  for (const start of first) {
    if (start.start < after) continue;
    const elements = extend(ctx, pattern, candidates, 1, start, [start]);
    const end = elements?.[elements.length - 1];
    if (elements && end) {
      matches.push({ start: start.start, end: end.end, elements });
      after = end.end;
    }
  }
  return matches;
}

function extend(
  ctx: UtteranceContext,
  pattern: CompiledPattern,
  candidates: (readonly Span[])[],
  k: number,
  first: Span,
  path: Span[],
): Span[] | undefined {
  const element = pattern.elements[k];
  if (!element) return path;
  const prev = path[path.length - 1] as Span;
  for (const next of candidates[k] ?? []) {
    // a pattern may run into the next clause (说是存款，结果是保险) but no further
    if (next.start < prev.end || ctx.clauseAt(next.start) - ctx.clauseAt(first.start) > 1) continue;
    const gap = ctx.gap(prev, next);
    if (gap > element.gap) continue;
    const found = extend(ctx, pattern, candidates, k + 1, first, [...path, next]);
    if (found) return found;
  }
  return undefined;
}
