import {
  MASK_VALUE,
  NOT_DIGIT,
  X_VALUE,
  digitAt,
  digitLength,
  digitValue,
  fillerLength,
  isHanDigit,
  isSeparator,
  isWeakDigit,
  isWordAfter,
  isWordBefore,
  wordDigitAt,
  xTokenLength,
} from './chars.js';

/**
 * A chain: digit tokens (ASCII, full-width or Chinese digits, and X) that belong together because only
 * separators or a few fillers stand between them. Segments are the groups of a chain; a later step
 * decides which runs of segments are a phone, an ID, a card, or something harmless.
 */
export interface Chain {
  /** Per token: 0-9, or X_VALUE. */
  values: number[];
  /** Per token: index in the text and length (艾克斯 is one token of three characters). */
  starts: number[];
  lengths: number[];
  /** Token index (exclusive) at which each segment ends; the last entry equals values.length. */
  segEnds: number[];
}

/** Most characters tolerated between two groups, and most filler words among them. */
export const MAX_GAP_CHARS = 20;
export const MAX_GAP_FILLERS = 6;

function endSegment(out: Chain | undefined): void {
  if (out && out.values.length > 0 && out.segEnds[out.segEnds.length - 1] !== out.values.length) {
    out.segEnds.push(out.values.length);
  }
}

function push(out: Chain | undefined, value: number, start: number, length: number): void {
  if (!out) return;
  out.values.push(value);
  out.starts.push(start);
  out.lengths.push(length);
}

/** Index after the gap that starts at `from`, or -1 when the gap is too long or leads to no digit. */
function gapEnd(text: string, from: number, hasDigits: boolean): number {
  let k = from;
  let fillers = 0;
  while (k < text.length && k - from <= MAX_GAP_CHARS) {
    if (isSeparator(text.charCodeAt(k))) {
      k++;
      continue;
    }
    const f = fillerLength(text, k);
    if (f === 0) break;
    fillers++;
    k += f;
  }
  // With no gap at all, text[from] stopped the run; only after an X can it be a digit (…123X4…).
  if (k - from > MAX_GAP_CHARS || fillers > MAX_GAP_FILLERS || k >= text.length) return -1;
  if (digitAt(text, k) !== NOT_DIGIT || wordDigitAt(text, k) !== 0) return k;
  return hasDigits && xTokenLength(text, k) > 0 ? k : -1;
}

/**
 * Reads the chain whose first digit is text[start]. Returns the index after its last token and its
 * number of tokens; fills `out` when given. One forward pass: every character is read a bounded number
 * of times (a gap is looked at once by the chain and once by the caller's scan).
 */
export function readChain(text: string, start: number, out?: Chain): { end: number; count: number } {
  let i = start;
  let count = 0;
  let end = start;
  for (;;) {
    const runStart = count;
    let prev = NOT_DIGIT;
    while (i < text.length) {
      const info = digitAt(text, i);
      if (info === NOT_DIGIT) {
        const word = wordDigitAt(text, i);
        if (word !== 0) {
          // A spelled digit (yao, san, eight) is a group of its own.
          endSegment(out);
          push(out, word & 0x0f, i, word >> 4);
          count++;
          i += word >> 4;
          end = i;
          endSegment(out);
          prev = NOT_DIGIT;
          continue;
        }
        const x = count > 0 ? xTokenLength(text, i) : 0;
        if (x > 0) {
          push(out, X_VALUE, i, x);
          count++;
          i += x;
          end = i;
        }
        break;
      }
      const han = isHanDigit(info);
      // Zero-width group breaks: around 么, where the script changes, between masks and digits, and
      // before a Chinese digit that starts a word (…五六七八一会儿). They let the planner leave such a
      // digit out of a number, and tell masks from what follows them.
      const wordAfter = han && digitAt(text, i + 1) === NOT_DIGIT && isWordAfter(text.charCodeAt(i + 1));
      if (
        count > runStart &&
        (isWeakDigit(info) ||
          isWeakDigit(prev) ||
          han !== isHanDigit(prev) ||
          (info === MASK_VALUE) !== (prev === MASK_VALUE) ||
          wordAfter)
      ) {
        endSegment(out);
      }
      const length = digitLength(text, i);
      push(out, digitValue(info), i, length);
      count++;
      i += length;
      end = i;
      if (count === runStart + 1 && han && i >= 2 && isWordBefore(text.charCodeAt(i - 2))) endSegment(out);
      prev = info;
    }
    endSegment(out);
    const next = gapEnd(text, end, count > 0);
    if (next < 0) return { end, count };
    i = next;
  }
}

/** Calls `onChain` for each chain of at least `minCount` tokens, in text order; stops when it returns true. */
export function forEachChain(text: string, minCount: number, onChain: (chain: Chain) => boolean): void {
  let i = 0;
  while (i < text.length) {
    if (digitAt(text, i) === NOT_DIGIT && wordDigitAt(text, i) === 0) {
      i++;
      continue;
    }
    const { end, count } = readChain(text, i);
    if (count >= minCount) {
      const chain: Chain = { values: [], starts: [], lengths: [], segEnds: [] };
      readChain(text, i, chain);
      if (onChain(chain)) return;
    }
    i = end;
  }
}

/** Whether text[from, to) holds a digit of any form (a spelled one included). */
export function hasDigitBetween(text: string, from: number, to: number): boolean {
  for (let i = from; i < Math.min(to, text.length); i++) {
    if (digitAt(text, i) !== NOT_DIGIT || wordDigitAt(text, i) !== 0) return true;
  }
  return false;
}
