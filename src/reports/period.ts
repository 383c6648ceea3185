/** Report periods: bounds in China Standard Time (no daylight saving), ISO weeks, the periods before. */
import { ValidationError } from '../errors.js';

const CST_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export interface Period {
  /** Inclusive bounds, ISO 8601 with +08:00. */
  from: string;
  to: string;
}

/** Epoch ms as ISO 8601 in China Standard Time. */
export function cstIso(ms: number): string {
  return new Date(ms + CST_MS).toISOString().replace('Z', '+08:00');
}

/** A bare date bound covers the whole day in China Standard Time; a date-time stays as it is. */
export function dayBound(value: string, end: boolean): string {
  if (value.includes('T')) return value;
  return `${value}T${end ? '23:59:59.999' : '00:00:00.000'}+08:00`;
}

export function periodMs(p: Period): { fromMs: number; toMs: number } {
  return { fromMs: Date.parse(p.from), toMs: Date.parse(p.to) };
}

/** The k-th period of the same length before `p` (k = 1: the one right before). */
export function previousPeriod(p: Period, k: number): Period {
  const { fromMs, toMs } = periodMs(p);
  const length = toMs - fromMs + 1;
  return { from: cstIso(fromMs - k * length), to: cstIso(toMs - k * length) };
}

const WEEK = /^(\d{4})-W(\d{2})$/;

/** Monday 00:00 to Sunday 23:59:59.999 (Asia/Shanghai) of an ISO week such as 2026-W45. */
export function isoWeekPeriod(week: string): Period {
  const m = WEEK.exec(week);
  const year = Number(m?.[1]);
  const n = Number(m?.[2]);
  // ISO week 1 holds January 4th.
  const jan4 = Date.UTC(year, 0, 4);
  const mondayOfWeek1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  const monday = mondayOfWeek1 + (n - 1) * 7 * DAY_MS;
  if (m === null || n < 1 || n > 53 || isoWeekOfDay(monday) !== week) {
    const message = `expected an ISO week like 2026-W45, got ${JSON.stringify(week)}`;
    throw new ValidationError(`Invalid week: ${message}`, [{ where: 'week', message }]);
  }
  return { from: cstIso(monday - CST_MS), to: cstIso(monday - CST_MS + 7 * DAY_MS - 1) };
}

/** The ISO week (2026-W45) holding an instant, in China Standard Time. */
export function isoWeekOf(ms: number): string {
  return isoWeekOfDay(Math.floor((ms + CST_MS) / DAY_MS) * DAY_MS);
}

/** The ISO week of a calendar day given as its UTC midnight. */
function isoWeekOfDay(dayMs: number): string {
  // The Thursday of the same week decides the year; its week is 1 + (days since January 1st) / 7.
  const thursday = dayMs + (3 - ((new Date(dayMs).getUTCDay() + 6) % 7)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / DAY_MS / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The ISO week before the one holding `ms` (what a Monday-morning run reports on). */
export function previousIsoWeek(ms: number): string {
  return isoWeekOf(ms - 7 * DAY_MS);
}
