import { OffsetBuilder, type OffsetText } from './offset-text.js';

/**
 * Chinese numerals where they help matching and search: a run of three or more digit words is a
 * number read out digit by digit (幺二三七八 -> 12378, phone hotlines, card tails), and an integer
 * with units (三千五 -> 3500, 二十万 -> 200000). Single characters (一下, 十分, 万一) and ranges
 * (两三万) are left alone.
 */
const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 幺: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 10000, 亿: 100000000 };
const NUMERAL = /[零〇一幺二两三四五六七八九十百千万亿]/;

function digitOf(ch: string): number | undefined {
  return DIGITS[ch];
}

/** Value of an integer written with units, or undefined when the run is not a plain number. */
export function parseChineseInteger(run: string): number | undefined {
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  let lastUnit = 1;
  for (const ch of run) {
    const d = digitOf(ch);
    if (d !== undefined) {
      if (digit !== undefined && digit !== 0) return undefined; // 两三万: a range, not a number
      digit = d;
      continue;
    }
    const unit = UNITS[ch];
    if (unit === undefined) return undefined;
    if (unit >= 10000) {
      total = (total + section + (digit ?? 0)) * unit;
      section = 0;
    } else {
      section += (digit ?? 1) * unit;
    }
    lastUnit = unit;
    digit = undefined;
  }
  // 三千五 = 3500: a trailing digit after a unit counts one unit lower
  if (digit !== undefined) section += lastUnit >= 10 && lastUnit < 10000 ? (digit * lastUnit) / 10 : digit;
  return total + section;
}

export function convertNumerals(source: OffsetText): OffsetText {
  const t = source.text;
  if (!NUMERAL.test(t)) return source;
  const out = new OffsetBuilder();
  const n = t.length;
  let changed = false;
  let i = 0;
  while (i < n) {
    let end = i;
    while (end < n && NUMERAL.test(t.charAt(end))) end++;
    const run = t.slice(i, end);
    const replacement = run.length >= 2 ? numeralValue(run) : undefined;
    if (replacement === undefined) {
      const stop = Math.max(end, i + 1);
      for (let k = i; k < stop; k++) out.push(t.charCodeAt(k), k, k + 1);
      i = stop;
      continue;
    }
    changed = true;
    for (let k = 0; k < replacement.length; k++) out.push(replacement.charCodeAt(k), i, end);
    i = end;
  }
  return changed ? out.build(source) : source;
}

function numeralValue(run: string): string | undefined {
  let allDigits = true;
  for (const ch of run) if (digitOf(ch) === undefined) allDigits = false;
  if (allDigits) {
    if (run.length < 3) return undefined;
    return [...run].map((ch) => String(digitOf(ch))).join('');
  }
  const first = run.charAt(0);
  if (digitOf(first) === undefined && first !== '十') return undefined;
  const value = parseChineseInteger(run);
  return value === undefined || !Number.isSafeInteger(value) ? undefined : String(value);
}
