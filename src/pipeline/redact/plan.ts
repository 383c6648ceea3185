import { MASK_VALUE, X_VALUE } from './chars.js';
import {
  COST,
  MASKED,
  MAX_STRETCH,
  MIN_PII_DIGITS,
  classify,
  isAlreadyMasked,
  isDate,
  isServiceNumber,
  kindByLength,
  type PiiKind,
  type Reading,
} from './readings.js';
import type { Chain } from './scan.js';

/** Digits shown at the end of a masked number. */
export const KEEP_LAST = 4;
/** Longest span, in digits, the planner reads as one item (a single group may be longer). */
const MAX_SPAN = 40;
/**
 * Planner states: what the last item was. A stretch may only touch strong numbers, dates and earlier
 * masks: next to a weak or unexplained run nobody can tell where one number ends and the other begins,
 * so the whole run is masked rather than guessed at (5000 + a mis-heard card, a card glued to an amount).
 */
const NEUTRAL = 0; // start, a strong number, a date, an earlier mask
const STRETCH = 1;
const WEAK_ITEM = 2; // a weak or unexplained number
const STATES = 3;

export interface ChainPlan {
  /** One entry per number to mask, in order. */
  kinds: PiiKind[];
  /** Per token: true when it must become '*'. */
  masked: boolean[];
}

interface Step {
  prev: number; // previous state index (boundary * STATES + state)
  from: number; // token index where the item starts
  kind: PiiKind | null; // null: kept as it is
  /** Digits left visible at the end: the last four of a recognised number, none of an unexplained run. */
  keep: number;
  /** A structurally certain item: a strong number or a service number (a hotline kept as it is). */
  sure: 'strong' | 'service' | null;
}

const normalise = (chain: Chain, from: number, to: number): string => {
  let s = '';
  for (let t = from; t < to; t++) {
    const v = chain.values[t]!;
    s += v === X_VALUE ? 'X' : v === MASK_VALUE ? '*' : String(v);
  }
  return s;
};

function markItem(masked: boolean[], from: number, to: number, keep: number): boolean {
  let changed = false;
  for (let t = from; t < to - keep; t++) {
    if (!masked[t]) changed = masked[t] = true;
  }
  return changed;
}

/**
 * Up to four digits glued to masks: the tail an earlier redaction kept (*******5678). It never starts a
 * number, or redacting twice could find a new one in "1239 20261101 1" of "**************1239 20261101 1".
 */
function isKeptTail(chain: Chain, from: number, to: number): boolean {
  if (from === 0 || to - from > KEEP_LAST || chain.values[from] === MASK_VALUE) return false;
  const prev = from - 1;
  return (
    chain.values[prev] === MASK_VALUE && chain.starts[prev]! + chain.lengths[prev]! === chain.starts[from]
  );
}

/**
 * Decides which tokens of one chain to mask. A dynamic programme over group boundaries finds the
 * cheapest reading of the chain as numbers, dates and short stretches (costs in readings.ts); each
 * boundary looks at most MAX_SPAN digits ahead, so the work is linear in the chain length. Then every
 * group-aligned run with a strong reading (valid mobile, ID, Luhn card) is masked too, whatever reading
 * won: a structurally valid number can never be left visible by a boundary mistake.
 */
export function planChain(chain: Chain): ChainPlan {
  const bounds = [0, ...chain.segEnds];
  const k = chain.segEnds.length;
  const cost = new Float64Array((k + 1) * STATES).fill(Infinity);
  const back: Step[] = new Array<Step>((k + 1) * STATES);
  const strongRuns: { from: number; to: number; kind: PiiKind }[] = [];
  cost[0] = 0;
  const relax = (
    e: number,
    state: number,
    c: number,
    prev: number,
    from: number,
    kind: PiiKind | null,
    keep = KEEP_LAST,
    sure: Step['sure'] = null,
  ): void => {
    const at = e * STATES + state;
    if (c < cost[at]!) {
      cost[at] = c;
      back[at] = { prev, from, kind, keep, sure };
    }
  };
  // serviceEnds[g]: the boundaries e at which groups g..e-1 are one service number (95588; 400-820-8888).
  const serviceEnds = chain.segEnds.map((_, g) => {
    const ends: number[] = [];
    const first = chain.values[bounds[g]!];
    if (first !== 1 && first !== 4 && first !== 8 && first !== 9) return ends;
    for (let e = g + 1; e <= Math.min(k, g + 3); e++) {
      const d = bounds[e]! - bounds[g]!;
      if (d > 10) break;
      if (
        (d === 5 || d === 10) &&
        isServiceNumber(
          normalise(chain, bounds[g]!, bounds[e]!),
          bounds.slice(g + 1, e + 1).map((x, j) => x - bounds[g + j]!),
        )
      )
        ends.push(e);
    }
    return ends;
  });
  const onlyServices = new Uint8Array(k + 1); // per boundary, for the current b: b..e is all service numbers
  // Boundaries inside a service number of several groups (between 400, 820 and 8888): no personal
  // number starts or ends there, or a Luhn coincidence across two 400 numbers would split both.
  const insideService = new Uint8Array(k + 1);
  serviceEnds.forEach((ends, g) => {
    for (const e of ends) insideService.fill(1, g + 1, e);
  });
  for (let b = 0; b < k; b++) {
    const from = bounds[b]!;
    if (isKeptTail(chain, from, bounds[b + 1]!)) continue;
    let s = ''; // the digits of the span, while they can still be a number or a date
    let masks = 0;
    let longestRun = 0; // most digits in a row within a group
    onlyServices[b] = 1;
    for (let e = b + 1; e <= k; e++) {
      const d = bounds[e]! - from;
      // A group of masks and the group after it (*******5678) are read together whatever their length.
      if (e > b + 1 && d > MAX_SPAN && !(e === b + 2 && chain.values[from] === MASK_VALUE)) break;
      let run = 0;
      for (let t = bounds[e - 1]!; t < bounds[e]!; t++) {
        if (chain.values[t] === MASK_VALUE) {
          masks++;
          run = 0;
        } else longestRun = Math.max(longestRun, ++run);
      }
      if (d <= 19) s += normalise(chain, bounds[e - 1]!, bounds[e]!);
      let reading: Reading | null = null;
      if (d >= MIN_PII_DIGITS && masks > 0) {
        const maskedRun = isAlreadyMasked(chain.values[from] === MASK_VALUE, masks, d - masks, longestRun);
        reading = maskedRun ? MASKED : null;
      } else if (d >= MIN_PII_DIGITS && d <= 19) reading = classify(s);
      const splitsService = insideService[b] === 1 || insideService[e] === 1;
      if (splitsService && reading?.kind !== 'masked') reading = null;
      // Service numbers side by side (12345、12315、12378; 95588 400-820-8888), or a hotline and a valid
      // number after it (95555 13812345678), that happen to pass an ID or Luhn check together are
      // service numbers and a number.
      onlyServices[e] = 0;
      for (let j = Math.max(b, e - 3); j < e && !onlyServices[e]; j++) {
        if (onlyServices[j] && serviceEnds[j]!.includes(e)) onlyServices[e] = 1;
      }
      if (
        reading?.strong &&
        serviceEnds[b]!.length > 0 &&
        (onlyServices[e] ||
          (d <= 19 &&
            serviceEnds[b]!.includes(b + 1) &&
            bounds[b + 1]! - from === 5 &&
            classify(s.slice(5))?.strong))
      )
        reading = { ...reading, cost: COST.weak, strong: false };
      const date =
        d >= 6 &&
        d <= 14 &&
        (e - b === 1 || e - b === 3) &&
        isDate(
          s,
          bounds.slice(b + 1, e + 1).map((x, j) => x - bounds[b + j]!),
        );
      const service = serviceEnds[b]!.includes(e);
      if (reading?.strong && reading.kind !== 'masked')
        strongRuns.push({ from, to: bounds[e]!, kind: reading.kind });
      for (let f = 0; f < STATES; f++) {
        const c0 = cost[b * STATES + f]!;
        if (c0 === Infinity) continue;
        const prev = b * STATES + f;
        if (d <= MAX_STRETCH && f === NEUTRAL) relax(e, STRETCH, c0 + COST.stretch, prev, from, null);
        if (date) relax(e, NEUTRAL, c0 + COST.date, prev, from, null);
        if (service) relax(e, NEUTRAL, c0 + COST.service, prev, from, null, 0, 'service');
        if (d < MIN_PII_DIGITS) continue;
        if (reading?.kind === 'masked') relax(e, NEUTRAL, c0 + reading.cost, prev, from, null);
        else if (reading?.strong)
          relax(e, NEUTRAL, c0 + reading.cost, prev, from, reading.kind, KEEP_LAST, 'strong');
        if (f === STRETCH) continue;
        if (reading && !reading.strong && reading.kind !== 'masked') {
          relax(e, WEAK_ITEM, c0 + reading.cost, prev, from, reading.kind);
        }
        // Service numbers all the way (six hotlines in a row) are never one unexplained run.
        if (!onlyServices[e] && !splitsService)
          relax(e, WEAK_ITEM, c0 + COST.unexplained, prev, from, kindByLength(d), 0);
      }
    }
  }
  const masked = new Array<boolean>(chain.values.length).fill(false);
  const sure = new Array<Step['sure']>(chain.values.length).fill(null);
  const items: { from: number; to: number; kind: PiiKind; keep: number }[] = [];
  let best = -1;
  for (let f = 0; f < STATES; f++) if (best < 0 || cost[k * STATES + f]! < cost[best]!) best = k * STATES + f;
  if (cost[best] === Infinity) {
    items.push({ from: 0, to: chain.values.length, kind: kindByLength(chain.values.length), keep: 0 }); // not reached
  } else {
    for (let at = best; at >= STATES;) {
      const step = back[at]!;
      const to = bounds[Math.floor(at / STATES)]!;
      sure.fill(step.sure, step.from, to);
      if (step.kind) items.push({ from: step.from, to, kind: step.kind, keep: step.keep });
      at = step.prev;
    }
    items.reverse();
  }
  const kinds: PiiKind[] = [];
  for (const item of items) {
    markItem(masked, item.from, item.to, item.keep);
    kinds.push(item.kind);
  }
  // A valid number the chosen reading missed. It is counted only when it overlaps no number of that reading.
  const inItem = new Array<boolean>(chain.values.length).fill(false);
  for (const item of items) inItem.fill(true, item.from, item.to);
  for (const run of strongRuns) {
    // Read as hotlines and valid numbers with exact group boundaries (95555 13812345678): the Luhn
    // card that the same digits also make is a coincidence, one in ten.
    const within = sure.slice(run.from, run.to);
    if (within.includes('service') && within.every((x) => x !== null)) continue;
    if (markItem(masked, run.from, run.to, KEEP_LAST) && !inItem.slice(run.from, run.to).includes(true)) {
      kinds.push(run.kind);
    }
  }
  return { kinds, masked };
}
