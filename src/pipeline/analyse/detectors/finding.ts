import type { Span, UtteranceContext } from '../context/utterance-context.js';

/** A label found in one utterance, with its span in the normalised text. */
export interface Finding<L extends string = string> {
  label: L;
  ctx: UtteranceContext;
  span: Span;
  /** a need read from the agent's offer the customer answers (不用了): where the agent named the product */
  offered?: { ctx: UtteranceContext; span: Span };
}

/** Union of two spans (for evidence covering a topic and its cue). */
export function cover(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}
