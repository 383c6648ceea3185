import type { CompiledPattern } from '../lexicon/patterns.js';
import type { Hit } from './hits.js';
import type { Span, UtteranceContext } from './utterance-context.js';

/**
 * All non-overlapping matches of a pattern: elements in order, each within its word gap of the
 * previous one, all in one clause. `comps` are the competitor mentions standing for `$COMP`.
 */
export function matchPattern(ctx: UtteranceContext, pattern: CompiledPattern, comps: readonly Span[]): Span[] {
  const matches: Span[] = [];
  const candidates = pattern.elements.map((el) =>
    el.comp ? [...comps] : ctx.hits.filter((h: Hit) => !h.hidden && el.terms.includes(h.term)),
  );
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
  candidates: Span[][],
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
