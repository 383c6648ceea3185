import { foldText } from './char-fold.js';
import { removeFillers } from './fillers.js';
import { convertNumerals } from './numerals.js';
import { identityOffsets, type OffsetText } from './offset-text.js';

/** Normalised text with, for every character, the span of the original text it came from. */
export interface NormalisedText extends OffsetText {
  original: string;
}

/**
 * Original text is what is shown; normalised text is what is matched and indexed.
 * Steps: character folding (width, case, Traditional -> Simplified; offsets unchanged), ASR fillers
 * and stutters, Chinese numerals.
 */
export function normalise(original: string): NormalisedText {
  const folded = foldText(original);
  const base = identityOffsets(folded);
  const result = convertNumerals(removeFillers(base));
  return { original, text: result.text, starts: result.starts, ends: result.ends };
}

/**
 * Normalise a taxonomy term: the same character folding and numerals as text, but no filler or
 * stutter removal (我那个, 看看 are terms; text is cleaned around them, terms are not cut down).
 */
export function normaliseTerm(term: string): string {
  return convertNumerals(identityOffsets(foldText(term))).text;
}

/** Map a span [start, end) of the normalised text back to the original text. */
export function toOriginalSpan(n: OffsetText, start: number, end: number): { start: number; end: number } {
  if (end <= start) {
    const at = n.starts[start] ?? n.ends[n.ends.length - 1] ?? 0;
    return { start: at, end: at };
  }
  return { start: n.starts[start] ?? 0, end: n.ends[end - 1] ?? 0 };
}
