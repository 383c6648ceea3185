/**
 * Structure checks on normalised digit strings ('0'-'9', and 'X' for an ID check character).
 * GB 11643-1999 for resident ID numbers, Luhn for card numbers, mainland mobile prefixes.
 */

/** First two digits of a resident ID: provinces, plus 71/81/82/83 (Taiwan, Hong Kong, Macau residence permits). */
const ID_REGIONS = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83'.split(
    ' ',
  ),
);
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

const isDigits = (s: string): boolean => /^[0-9]+$/.test(s);

/** A calendar date with a year in 1900-2099. */
export function isValidDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/** YYYYMMDD at `from` in s. */
export function isCompactDate(s: string, from = 0): boolean {
  const num = (a: number, b: number): number => Number(s.slice(from + a, from + b));
  return isDigits(s.slice(from, from + 8)) && isValidDate(num(0, 4), num(4, 6), num(6, 8));
}

/** The GB 11643 check character of the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** 18 characters with a known region and a real birth date (the checksum is judged separately). */
export function hasId18Structure(s: string): boolean {
  return (
    s.length === 18 &&
    isDigits(s.slice(0, 17)) &&
    /[0-9X]/.test(s[17]!) &&
    ID_REGIONS.has(s.slice(0, 2)) &&
    isCompactDate(s, 6)
  );
}

export function isValidId18(s: string): boolean {
  return hasId18Structure(s) && idCheckChar(s) === s[17];
}

/** Legacy 15-digit ID: region, YYMMDD birth date in the 1900s, 3-digit sequence; no checksum. */
export function isValidId15(s: string): boolean {
  return (
    s.length === 15 && isDigits(s) && ID_REGIONS.has(s.slice(0, 2)) && isCompactDate(`19${s.slice(6, 12)}`)
  );
}

export function luhnValid(s: string): boolean {
  if (!isDigits(s)) return false;
  let sum = 0;
  for (let i = s.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = s.charCodeAt(i) - 48;
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** 11 digits of a mainland mobile number: 1[3-9]xxxxxxxxx. */
export const isMobile = (s: string): boolean => /^1[3-9][0-9]{9}$/.test(s);

/** A mobile number behind a country code: 86…, 0086…. */
export const isPrefixedMobile = (s: string): boolean =>
  (s.length === 13 && s.startsWith('86') && isMobile(s.slice(2))) ||
  (s.length === 15 && s.startsWith('0086') && isMobile(s.slice(4)));
