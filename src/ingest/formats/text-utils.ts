/** Text and time helpers shared by every format parser. */

// Han characters, CJK punctuation and full-width forms: a space between two of these carries no
// meaning (AWS writes Chinese as "您 好 ， 请 问"; some exports pad with spaces).
const CJK = '\\p{Script=Han}\\u3000-\\u303f\\uff00-\\uffef';
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}]) +(?=[${CJK}])`, 'gu');
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/** Trims, collapses runs of whitespace, drops zero-width characters and spaces between CJK characters. */
export function normaliseText(text: string): string {
  return text.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim().replace(SPACE_BETWEEN_CJK, '');
}

/** Joins two ASR tokens: a space only where two Latin words or numbers would otherwise run together. */
export function joinWords(left: string, right: string): string {
  if (!left) return right;
  if (!right) return left;
  const needsSpace = /[A-Za-z0-9.,!?;:]$/.test(left) && /^[A-Za-z0-9]/.test(right);
  return needsSpace ? `${left} ${right}` : left + right;
}

function finiteNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** Seconds (number or numeric string, as Whisper and AWS write them) -> whole milliseconds. */
export function secondsToMs(value: unknown): number | undefined {
  const n = finiteNumber(value);
  return n === undefined || n < 0 ? undefined : Math.round(n * 1000);
}

/** Milliseconds (number or numeric string, as Alibaba, iFlytek and Tencent write them). */
export function millis(value: unknown): number | undefined {
  const n = finiteNumber(value);
  return n === undefined || n < 0 ? undefined : Math.round(n);
}

/** "01:02:03.500", "01:02:03,500", "02:03.5", "01:02:03" -> milliseconds. */
export function clockToMs(clock: string): number | undefined {
  const m = /^(?:(\d{1,3}):)?([0-5]?\d):([0-5]\d)(?:[.,](\d{1,3}))?$/.exec(clock.trim());
  if (!m) return undefined;
  const [, h = '0', min = '0', s = '0', frac = '0'] = m;
  return ((Number(h) * 60 + Number(min)) * 60 + Number(s)) * 1000 + Number(frac.padEnd(3, '0'));
}

export interface Timestamp {
  /** ISO 8601 with offset */
  iso: string;
  /** epoch milliseconds, for ordering and offsets */
  ms: number;
}

const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const LOCAL = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/** Formats epoch milliseconds as ISO 8601 in China Standard Time (+08:00). */
export function toChinaIso(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().replace(/(\.000)?Z$/, '+08:00');
}

/**
 * An absolute time as chat platforms and call systems export it. ISO 8601 with an offset is kept
 * as written. A local time without offset ("2026-11-01 10:00:05", "2026/11/01 10:00") is read as
 * China Standard Time: these exports come from Chinese bank systems, and China has one time zone
 * and no daylight saving. Epoch seconds (10 digits) and milliseconds (13 digits) are accepted.
 */
export function parseTimestamp(value: unknown): Timestamp | undefined {
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d{10}(\d{3})?\s*$/.test(value))) {
    const n = Number(value);
    // Only plausible epochs (2001 to 2286): a small number is a row counter or a duration, not a time.
    const ms = n >= 1e9 && n < 1e10 ? n * 1000 : n >= 1e12 && n < 1e13 ? n : undefined;
    return ms !== undefined && Number.isInteger(n) ? { iso: toChinaIso(ms), ms } : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (ISO_WITH_OFFSET.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) || !validCalendarDate(text.slice(0, 10)) ? undefined : { iso: text, ms };
  }
  const m = LOCAL.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '0', f = '0'] = m;
  const parts = [
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Number(f.padEnd(3, '0')),
  ] as const;
  const utc = Date.UTC(Number(y), ...parts);
  const check = new Date(utc);
  if (check.getUTCMonth() !== parts[0] || check.getUTCDate() !== parts[1] || Number(h) > 23) return undefined;
  const ms = utc - CHINA_OFFSET_MS;
  return { iso: toChinaIso(ms), ms };
}

function validCalendarDate(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const check = new Date(Date.UTC(y, m - 1, d));
  return check.getUTCMonth() === m - 1 && check.getUTCDate() === d;
}

/** The text up to the first line break. */
export function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}
