import type { CompiledPattern } from '../lexicon/patterns.js';
import type { Span, UtteranceContext } from './utterance-context.js';

/**
 * All non-overlapping matches of a pattern: elements in order, each within its word gap of the
 * previous one, all in one clause. `comps` are the competitor mentions standing for `$COMP`.
 */
export function matchPattern(ctx: UtteranceContext, pattern: CompiledPattern, comps: readonly Span[]): Span[] {
  const matches: Span[] = [];
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
    const end = extend(ctx, pattern, candidates, 1, start, start);
    if (end) {
      matches.push({ start: start.start, end: end.end });
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
  prev: Span,
): Span | undefined {
  const element = pattern.elements[k];
  if (!element) return prev;
  for (const next of candidates[k] ?? []) {
    if (next.start < prev.end || !ctx.sameClause(first, next)) continue;
    const gap = ctx.gap(prev, next);
    if (gap > element.gap) continue;
    const end = extend(ctx, pattern, candidates, k + 1, first, next);
    if (end) return end;
  }
  return undefined;
}
