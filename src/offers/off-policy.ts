import type { Candidate, DecisionRecord } from '../domain/offer.js';

/** A policy to evaluate: the probability it puts each candidate first. */
export type TargetPolicy = (candidates: Candidate[]) => Map<string, number>;

export const TARGET_POLICIES: Record<string, TargetPolicy> = {
  /** The logged policy itself: IPW then estimates the observed acceptance (a sanity check). */
  logged: (c) => new Map(c.map((x) => [x.offerId, x.probability])),
  /** Uniform among the candidates: what the control group does. */
  uniform: (c) => new Map(c.map((x) => [x.offerId, 1 / c.length])),
  /** Greedy on the posterior mean: propensity mean × context × value × levers, no exploration. */
  greedy: (c) => argmax(c, (x) => x.propensityMean * x.context * x.value * x.levers),
  /** Greedy on the acceptance alone (ignores value and levers). */
  'greedy-acceptance': (c) => argmax(c, (x) => x.propensityMean * x.context),
};

function argmax(c: Candidate[], score: (x: Candidate) => number): Map<string, number> {
  const best = c.reduce<Candidate | undefined>((b, x) => (!b || score(x) > score(b) ? x : b), undefined);
  return new Map(c.map((x) => [x.offerId, x === best ? 1 : 0]));
}

export interface PolicyEstimate {
  policy: string;
  /** Decisions with an offer, a logged probability and a settled outcome. */
  n: number;
  /** Inverse propensity weighting: mean of π(a)/μ(a) · r. */
  ipw: number;
  ci95: [number, number];
  /** Self-normalised IPW: lower variance, slightly biased. */
  snips: number;
  /** (Σw)² / Σw²: how many decisions the estimate effectively rests on. */
  effectiveSampleSize: number;
  /** Acceptance observed under the logging policy, for comparison. */
  observed: number;
}

/**
 * Off-policy evaluation of `target` on the decision log: each decision's first offer is the logged
 * action, its logged probability of being first the behaviour propensity, acceptance the reward.
 * Offers without an outcome after `noAnswerAfterMs` count as not accepted; newer ones are skipped.
 */
export function evaluatePolicy(
  records: DecisionRecord[],
  name: string,
  target: TargetPolicy,
  now: number,
  noAnswerAfterMs: number,
): PolicyEstimate {
  const terms: number[] = [];
  const weights: number[] = [];
  let observed = 0;
  for (const d of records) {
    const action = d.offers[0];
    if (!action) continue;
    const candidate = d.candidates.find((c) => c.offerId === action.offerId);
    if (!candidate || candidate.probability <= 0) continue;
    const outcome = d.outcomes.find((o) => o.offerId === action.offerId)?.outcome;
    if (!outcome && Date.parse(d.at) + noAnswerAfterMs > now) continue;
    const reward = outcome === 'accepted' ? 1 : 0;
    const w = (target(d.candidates).get(action.offerId) ?? 0) / candidate.probability;
    weights.push(w);
    terms.push(w * reward);
    observed += reward;
  }
  const n = terms.length;
  const mean = n ? terms.reduce((s, x) => s + x, 0) / n : 0;
  const variance = n > 1 ? terms.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) : 0;
  const half = 1.959964 * Math.sqrt(variance / Math.max(1, n));
  const sumW = weights.reduce((s, x) => s + x, 0);
  const sumW2 = weights.reduce((s, x) => s + x * x, 0);
  const r = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    policy: name,
    n,
    ipw: r(mean),
    ci95: [r(mean - half), r(mean + half)],
    snips: r(sumW ? terms.reduce((s, x) => s + x, 0) / sumW : 0),
    effectiveSampleSize: r(sumW2 ? (sumW * sumW) / sumW2 : 0),
    observed: r(n ? observed / n : 0),
  };
}
