import * as classes from './char-classes.js';
import { codesToString, foldText } from './char-fold.js';
import { fillerLength, isCantoneseNegation } from './fillers.js';
import { numeralRunEnd, numeralValue } from './numerals.js';

// local copies: under some module loaders (tsx) every access to an imported binding is a getter call
const BREAK = classes.BREAK;
const CJK = classes.CJK;
const CLASSES = classes.CLASSES;
const DOUBLE_OK = classes.DOUBLE_OK;
const FILLER = classes.FILLER;
const NUMERAL = classes.NUMERAL;
const DIGIT_WORD = classes.DIGIT_WORD;
const STUTTER_TWICE = classes.STUTTER_TWICE;

/**
 * Normalised text with, for every character, the span [start, end) of the original it came from.
 * `starts`/`ends` are null when the normalised text lines up with the original one to one.
 */
export interface NormalisedText {
  original: string;
  text: string;
  starts: readonly number[] | null;
  ends: readonly number[] | null;
}

// scratch buffers, reused across calls (the pipeline is synchronous)
let codes = new Uint16Array(1024);
let starts = new Int32Array(1024);
let ends = new Int32Array(1024);

/** Make room for `capacity` characters, keeping what is already written. */
function ensure(capacity: number): void {
  if (codes.length >= capacity) return;
  const size = Math.max(capacity, codes.length * 2);
  const c = new Uint16Array(size);
  const s = new Int32Array(size);
  const e = new Int32Array(size);
  c.set(codes);
  s.set(starts);
  e.set(ends);
  codes = c;
  starts = s;
  ends = e;
}

const cls = (t: string, i: number): number => CLASSES[t.charCodeAt(i)] ?? 0;

/**
 * The first `len` offsets as a plain array: a typed-array copy of more than 16 offsets is
 * allocated outside the heap, two per utterance, and their bookkeeping weighed on every collection.
 */
function copyOut(from: Int32Array, len: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < len; i++) out.push(from[i] as number);
  return out;
}

/**
 * Original text is what is shown; normalised text is what is matched and indexed. One pass after
 * character folding (width, case, Traditional -> Simplified; offsets unchanged): ASR fillers,
 * stutters (我我我 -> 我, 我想我想 -> 我想; doubled-on-purpose 谢谢/看看 keep two), Chinese numerals.
 */
export function normalise(original: string): NormalisedText {
  const t = foldText(original);
  const n = t.length;
  ensure(n + 16);
  let len = 0;
  let changed = false;
  let clauseStart = true;
  let i = 0;
  while (i < n) {
    const c = t.charCodeAt(i);
    const k = CLASSES[c] ?? 0;
    if (k & FILLER) {
      if (isCantoneseNegation(t, i)) {
        codes[len] = 0x4e0d; // 不
        starts[len] = i;
        ends[len++] = i + 1;
        i++;
        changed = true;
        clauseStart = false;
        continue;
      }
      const filler = fillerLength(t, i, clauseStart);
      if (filler > 0) {
        i += filler;
        changed = true;
        continue;
      }
    }
    if (k & NUMERAL) {
      let end = numeralRunEnd(t, i);
      // 存二十万一年期: a digit right after 万/亿 starts the next word
      if (end - i >= 3 && (cls(t, end - 1) & DIGIT_WORD) !== 0 && /[万亿]/.test(t.charAt(end - 2))) end--;
      const value = end - i >= 2 ? numeralValue(t.slice(i, end)) : undefined;
      if (value !== undefined) {
        ensure(len + value.length + (n - end) + 16);
        for (let d = 0; d < value.length; d++) {
          codes[len] = value.charCodeAt(d);
          starts[len] = i;
          ends[len++] = end;
        }
        changed = true;
      } else {
        for (let p = i; p < end; p++) {
          codes[len] = t.charCodeAt(p);
          starts[len] = p;
          ends[len++] = p + 1;
        }
      }
      i = end;
      clauseStart = false;
      continue;
    }
    if (k & CJK) {
      let run = 1;
      while (t.charCodeAt(i + run) === c) run++;
      if (run >= 3 || (run === 2 && k & STUTTER_TWICE)) {
        const keep = k & DOUBLE_OK ? 2 : 1;
        for (let d = 0; d < keep; d++) {
          codes[len] = c;
          starts[len] = i + d;
          ends[len++] = i + run - keep + d + 1;
        }
        i += run;
        changed = true;
        clauseStart = false;
        continue;
      }
      const next = t.charCodeAt(i + 1);
      if (
        run === 1 &&
        next !== c &&
        cls(t, i + 1) & CJK &&
        t.charCodeAt(i + 2) === c &&
        t.charCodeAt(i + 3) === next
      ) {
        let end = i + 4;
        while (t.charCodeAt(end) === c && t.charCodeAt(end + 1) === next) end += 2;
        codes[len] = c;
        starts[len] = i;
        ends[len++] = end - 1;
        codes[len] = next;
        starts[len] = end - 1;
        ends[len++] = end;
        i = end;
        changed = true;
        clauseStart = false;
        continue;
      }
    }
    codes[len] = c;
    starts[len] = i;
    ends[len++] = i + 1;
    clauseStart = (k & BREAK) !== 0;
    i++;
  }
  if (!changed) return { original, text: t, starts: null, ends: null };
  return {
    original,
    text: codesToString(codes, len),
    starts: copyOut(starts, len),
    ends: copyOut(ends, len),
  };
}

/**
 * Normalise a taxonomy term: the same character folding and numerals as text, but no filler or
 * stutter removal (我那个, 看看 are terms; text is cleaned around them, terms are not cut down).
 */
export function normaliseTerm(term: string): string {
  const t = foldText(term);
  let out = '';
  let i = 0;
  while (i < t.length) {
    if (cls(t, i) & NUMERAL) {
      const end = numeralRunEnd(t, i);
      const run = t.slice(i, end);
      out += numeralValue(run) ?? run;
      i = end;
    } else out += t.charAt(i++);
  }
  return out;
}

/** Map a span [start, end) of the normalised text back to the original text. */
export function toOriginalSpan(
  n: NormalisedText,
  start: number,
  end: number,
): { start: number; end: number } {
  if (!n.starts || !n.ends) return { start, end };
  if (end <= start) {
    const at = n.starts[start] ?? n.original.length;
    return { start: at, end: at };
  }
  return { start: n.starts[start] ?? 0, end: n.ends[end - 1] ?? 0 };
}
