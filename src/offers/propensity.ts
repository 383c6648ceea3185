import { hash } from 'node:crypto';
import type { LearningConfig } from './catalog.js';

/** Outcomes of one offer in one segment. */
export interface ArmCounts {
  accepted: number;
  /** declined + no_answer */
  rejected: number;
}

export interface Prior {
  alpha: number;
  beta: number;
}

/** Standard normal by Box-Muller. */
function normal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, 1) by Marsaglia and Tsang (shape < 1 boosted). */
export function sampleGamma(shape: number, random: () => number): number {
  if (shape < 1) return sampleGamma(shape + 1, random) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function sampleBeta(alpha: number, beta: number, random: () => number): number {
  const x = sampleGamma(alpha, random);
  const y = sampleGamma(beta, random);
  return x / (x + y);
}

/** The posterior of an arm: the catalog's prior plus the outcomes seen. */
export function posterior(prior: Prior, counts: ArmCounts | undefined): Prior {
  return { alpha: prior.alpha + (counts?.accepted ?? 0), beta: prior.beta + (counts?.rejected ?? 0) };
}

/** Share of decisions an offer may reach in a segment: grows with its evidence (the reach ramp). */
export function reachOf(counts: ArmCounts | undefined, ramp: LearningConfig['ramp']): number {
  const n = (counts?.accepted ?? 0) + (counts?.rejected ?? 0);
  if (ramp.trials === 0 || n >= ramp.trials) return 1;
  return ramp.minReach + ((1 - ramp.minReach) * n) / ramp.trials;
}

/** Sticky, hashed assignment: the same customer is always in or out of the control group. */
export function inControlGroup(customerId: string, learning: LearningConfig): boolean {
  if (learning.controlShare <= 0) return false;
  // One-shot hash of salt, NUL, id: the same digest as the streaming Hash it replaced (so nobody
  // changes group), without constructing a Hash object per decision.
  const h = hash('sha256', `${learning.controlSalt}\0${customerId}`, 'buffer');
  return h.readUInt32BE(0) / 4_294_967_296 < learning.controlShare;
}

/** One arm at arbitration: its posterior, its evidence-based reach and its fixed multipliers. */
export interface Arm {
  id: string;
  posterior: Prior;
  reach: number;
  /** context × value × levers */
  weight: number;
}

export interface Draw {
  /** Arms in order of sampled priority (held back arms excluded). */
  order: { id: string; propensity: number; priority: number }[];
  /** Arms the reach ramp held back in this draw. */
  heldBack: string[];
}

/**
 * One Thompson draw: each arm is held back with probability 1 − reach, the rest sample a propensity
 * from their posterior and are ranked by propensity × weight. When the ramp holds back every arm,
 * the best-reaching one stays (an offer is never withheld from everyone).
 */
export function thompsonDraw(arms: Arm[], random: () => number): Draw {
  const heldBack: string[] = [];
  const kept: Arm[] = [];
  for (const arm of arms) {
    if (arm.reach < 1 && random() >= arm.reach) heldBack.push(arm.id);
    else kept.push(arm);
  }
  if (kept.length === 0 && arms.length) {
    const best = arms.reduce((a, b) => (b.reach > a.reach ? b : a));
    kept.push(best);
    heldBack.splice(heldBack.indexOf(best.id), 1);
  }
  const order = kept
    .map((arm) => {
      const propensity = sampleBeta(arm.posterior.alpha, arm.posterior.beta, random);
      return { id: arm.id, propensity, priority: propensity * arm.weight };
    })
    .sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1));
  return { order, heldBack };
}

/** Random arbitration of the control group: a uniform shuffle. */
export function randomOrder(ids: string[], random: () => number): string[] {
  const out = [...ids];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The probability each arm had of being put first by thompsonDraw, estimated by `samples` further
 * draws plus the draw that was used (so the chosen arm never gets probability 0, which IPW needs).
 */
export function firstChoiceProbabilities(
  arms: Arm[],
  chosen: string | undefined,
  samples: number,
  random: () => number,
): Map<string, number> {
  if (arms.length <= 1) return new Map(arms.map((a) => [a.id, 1]));
  // Same draws as thompsonDraw (same use of `random`, so seeded runs are unchanged), but only the
  // winner is tracked: no per-draw objects and no sort, which were most of a decision's sampling cost.
  const wins = new Array<number>(arms.length).fill(0);
  const kept = new Array<boolean>(arms.length);
  for (let s = 0; s < samples; s++) {
    let any = false;
    for (let i = 0; i < arms.length; i++) {
      const arm = arms[i]!;
      kept[i] = !(arm.reach < 1 && random() >= arm.reach);
      any ||= kept[i]!;
    }
    if (!any) kept[bestReach(arms)] = true;
    let first = -1;
    let top = 0;
    for (let i = 0; i < arms.length; i++) {
      if (!kept[i]) continue;
      const arm = arms[i]!;
      const priority = sampleBeta(arm.posterior.alpha, arm.posterior.beta, random) * arm.weight;
      if (first < 0 || priority > top || (priority === top && arm.id < arms[first]!.id)) {
        first = i;
        top = priority;
      }
    }
    wins[first]!++;
  }
  const total = samples + (chosen ? 1 : 0);
  return new Map(arms.map((a, i) => [a.id, (wins[i]! + (a.id === chosen ? 1 : 0)) / total]));
}

/** The arm thompsonDraw keeps when the ramp held back every arm: the first with the highest reach. */
function bestReach(arms: Arm[]): number {
  let best = 0;
  for (let i = 1; i < arms.length; i++) if (arms[i]!.reach > arms[best]!.reach) best = i;
  return best;
}
