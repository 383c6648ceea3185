import * as classes from './char-classes.js';

// local copies: under some module loaders (tsx) every access to an imported binding is a getter call
const BREAK = classes.BREAK;
const CLASSES = classes.CLASSES;

/**
 * Cantonese 唔 is 不 before a verb or adjective (唔要, 唔使, 唔係, 唔该, 唔见咗): the text is already folded
 * to Simplified, so the set is Simplified.
 */
const CANTONESE_NEGATED = new Set(
  [
    ...'使要是系好该会想需见记知得明紧够啱识肯敢准用喺抵错算再买借存办同理出去来做可舍开怕信满喜中方觉清对多',
  ].map((ch) => ch.charCodeAt(0)),
);

/** Is the 唔 at i the Cantonese negation (read as 不) rather than a filler? */
export function isCantoneseNegation(t: string, i: number): boolean {
  return t.charCodeAt(i) === 0x5514 /* 唔 */ && CANTONESE_NEGATED.has(t.charCodeAt(i + 1));
}

/**
 * ASR fillers. 嗯/呃/呣 are always fillers, 唔 unless it is the Cantonese negation. 那个、就是、就是说、额 are real words too (那个产品,
 * 问题就是年费, 余额), so they are dropped only where they act as fillers: at the start of a clause
 * (or right after another filler), or when repeated (那个那个, 就是就是).
 * Returns the length of the filler starting at i, or 0.
 */
export function fillerLength(t: string, i: number, clauseStart: boolean): number {
  const c = t.charCodeAt(i);
  if (c === 0x55ef /* 嗯 */ || c === 0x5443 /* 呃 */ || c === 0x5514 /* 唔 */ || c === 0x5463 /* 呣 */)
    return 1;
  const next = t.charCodeAt(i + 1);
  if (c === 0x989d /* 额 */) {
    // 额 ends many words (余额, 提额, 限额): a filler only when it opens a clause or is repeated
    if (next === 0x989d) return 1;
    const opensWord = next === 0x5ea6 /* 度 */ || next === 0x5916; /* 外 */
    return clauseStart && !opensWord && !isBreak(t, i + 1) ? 1 : 0;
  }
  if (c === 0x90a3 /* 那 */ && next === 0x4e2a /* 个 */) {
    if (clauseStart || isBreak(t, i + 2) || t.startsWith('那个', i + 2)) return 2;
    return fillerLength(t, i + 2, false) > 0 ? 2 : 0;
  }
  if (c === 0x5c31 /* 就 */ && next === 0x662f /* 是 */) {
    if (clauseStart || t.startsWith('就是', i + 2)) return t.charCodeAt(i + 2) === 0x8bf4 /* 说 */ ? 3 : 2;
  }
  return 0;
}

function isBreak(t: string, i: number): boolean {
  return i >= t.length || ((CLASSES[t.charCodeAt(i)] ?? 0) & BREAK) !== 0;
}
