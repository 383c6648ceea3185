import * as classes from './char-classes.js';

// local copies: under some module loaders (tsx) every access to an imported binding is a getter call
const CLASSES = classes.CLASSES;
const DIGIT_WORD = classes.DIGIT_WORD;
const NUMERAL = classes.NUMERAL;

/**
 * Chinese numerals where they help matching and search: a run of three or more digit words is a
 * number read out digit by digit (幺二三七八 -> 12378, hotlines, card tails), and an integer with
 * units (三千五 -> 3500, 二十万 -> 200000). Single characters (一下, 十分, 万一) and ranges (两三万) stay.
 */
const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  幺: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 10000, 亿: 100000000 };

/** Value of an integer written with units, or undefined when the run is not a plain number. */
export function parseChineseInteger(run: string): number | undefined {
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  let lastUnit = 1;
  let zero = false;
  for (const ch of run) {
    const d = DIGITS[ch];
    if (d !== undefined) {
      if (digit !== undefined && digit !== 0) return undefined; // 两三万: a range, not a number
      if (d === 0) zero = true;
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
    zero = false;
  }
  // 三千五 = 3500: a trailing digit right after a unit counts one unit lower (一百零五 = 105)
  if (digit !== undefined)
    section += !zero && lastUnit >= 10 && lastUnit < 10000 ? (digit * lastUnit) / 10 : digit;
  return total + section;
}

/** End of the run of numeral characters starting at i. */
export function numeralRunEnd(t: string, i: number): number {
  let end = i;
  while (end < t.length && ((CLASSES[t.charCodeAt(end)] ?? 0) & NUMERAL) !== 0) end++;
  return end;
}

/** Arabic digits for a numeral run, or undefined to leave it as it is. */
export function numeralValue(run: string): string | undefined {
  if (run.length < 2) return undefined;
  let allDigits = true;
  for (let k = 0; k < run.length; k++)
    if (((CLASSES[run.charCodeAt(k)] ?? 0) & DIGIT_WORD) === 0) allDigits = false;
  if (allDigits) {
    if (run.length < 3) return undefined;
    let out = '';
    for (const ch of run) out += String(DIGITS[ch] ?? '');
    return out;
  }
  const first = run.charAt(0);
  if (DIGITS[first] === undefined && first !== '十') return undefined;
  const value = parseChineseInteger(run);
  return value === undefined || !Number.isSafeInteger(value) ? undefined : String(value);
}
