/**
 * When conversations happen: spread over the requested range in roughly chronological order (as a
 * nightly export would be), fewer at weekends, during contact-center hours (08:30–20:30, peaks
 * mid-morning and mid-afternoon), all in China time (+08:00).
 */
import type { Rng } from './prng.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OFFSET = 8 * HOUR;
const OPEN = 8.5 * HOUR;
const CLOSE = 20.5 * HOUR;
/** Relative call volume per hour of the day, 8 to 20. */
const HOUR_WEIGHTS = [3, 8, 10, 9, 5, 6, 9, 10, 9, 7, 4, 3, 2];
const HOUR_TOTAL = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
/** Sunday first, as Date.getUTCDay counts. */
const WEEKDAY_WEIGHTS = [0.45, 1, 1, 1, 1, 0.95, 0.55];

/** A date (YYYY-MM-DD, taken as midnight in China) or a full ISO timestamp (no offset means +08:00). */
export function parseInstant(value: string): number {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? `${value}T00:00:00+08:00`
    : /(Z|[+-]\d{2}:?\d{2})$/.test(value)
      ? value
      : `${value}+08:00`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`not an ISO date: ${value}`);
  return ms;
}

export function formatChinaTime(ms: number): string {
  const d = new Date(ms + OFFSET);
  const p = (n: number) => (n < 10 ? `0${n}` : String(n));
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}+08:00`;
}

interface DaySlot {
  /** Open window of that day clipped to the range, epoch ms. */
  start: number;
  end: number;
}

export class Calendar {
  private readonly slots: DaySlot[] = [];
  private readonly cumulative: number[] = [];
  private total = 0;

  /** [from, to): from inclusive, to exclusive. */
  constructor(
    readonly from: number,
    readonly to: number,
  ) {
    if (!(from < to)) throw new Error('the date range is empty: from must be before to');
    const firstDay = Math.floor((from + OFFSET) / DAY) * DAY - OFFSET;
    for (let day = firstDay; day < to; day += DAY) {
      const start = Math.max(from, day + OPEN);
      const end = Math.min(to, day + CLOSE);
      if (end <= start) continue;
      const weekday = new Date(day + OFFSET).getUTCDay();
      this.total += (WEEKDAY_WEIGHTS[weekday] as number) * ((end - start) / (CLOSE - OPEN));
      this.slots.push({ start, end });
      this.cumulative.push(this.total);
    }
  }

  /** The start time of the item at `fraction` (0..1) of the export; seconds resolution. */
  instant(fraction: number, rng: Rng): number {
    // A range that misses opening hours entirely (say 22:00 to 23:00) is used as it is.
    const slot = this.total > 0 ? this.slotAt(fraction * this.total) : { start: this.from, end: this.to };
    let t = -1;
    const dayStart = Math.floor((slot.start + OFFSET) / DAY) * DAY - OFFSET;
    for (let attempt = 0; attempt < 8 && (t < slot.start || t >= slot.end); attempt++)
      t = dayStart + this.timeOfDay(rng);
    if (t < slot.start || t >= slot.end) t = slot.start + rng.next() * (slot.end - slot.start);
    const seconds = Math.floor(t / 1000) * 1000;
    return seconds >= this.from ? seconds : Math.min(this.to - 1, seconds + 1000);
  }

  private slotAt(position: number): DaySlot {
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] as number) > position) hi = mid;
      else lo = mid + 1;
    }
    return this.slots[lo] as DaySlot;
  }

  private timeOfDay(rng: Rng): number {
    let r = rng.next() * HOUR_TOTAL;
    let hour = 0;
    while (hour < HOUR_WEIGHTS.length - 1 && r >= (HOUR_WEIGHTS[hour] as number))
      r -= HOUR_WEIGHTS[hour++] as number;
    return (8 + hour) * HOUR + rng.next() * HOUR;
  }
}
