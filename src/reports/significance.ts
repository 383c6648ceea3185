/**
 * Is this period's count of a competitor more than noise? The conditional binomial test of two
 * Poisson counts (Przyborowski & Wilenski 1940), with the number of conversations as exposure:
 *
 *   x1 mentions among e1 conversations this period, x0 among e0 in the baseline periods.
 *   If the rate per conversation did not change, then given n = x0 + x1,
 *   x1 ~ Binomial(n, p = e1 / (e0 + e1)), and the one-sided p-value of a rise is P(X >= x1).
 *
 * Conditioning on the volume means a busier week does not make every competitor "rise". Across the
 * competitors of one report the Holm–Bonferroni procedure keeps the chance of any false alarm at
 * alpha: a manager is not sent chasing three extra mentions.
 */

export const ALPHA = 0.05;

/** log(k!) for k = 0..n, built on demand and kept. */
const logFactorials: number[] = [0];
function logFactorial(k: number): number {
  for (let i = logFactorials.length; i <= k; i++)
    logFactorials.push((logFactorials[i - 1] ?? 0) + Math.log(i));
  return logFactorials[k] ?? 0;
}

/** P(X >= k) for X ~ Binomial(n, p), summed exactly term by term in log space. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let sum = 0;
  for (let i = k; i <= n; i++) {
    sum += Math.exp(logFactorial(n) - logFactorial(i) - logFactorial(n - i) + i * lp + (n - i) * lq);
  }
  return Math.min(1, sum);
}

export interface RiseTest {
  /** One-sided p-value of "the rate per conversation rose"; null when there is no baseline to test against. */
  pValue: number | null;
  /** The rate per conversation is higher than in the baseline (before any test). */
  rose: boolean;
}

/** The conditional binomial test of x1 (exposure e1) against x0 (exposure e0). */
export function riseTest(x1: number, e1: number, x0: number, e0: number): RiseTest {
  if (e0 <= 0 || e1 <= 0) return { pValue: null, rose: false };
  const rose = x1 * e0 > x0 * e1;
  return { pValue: binomialUpperTail(x1, x0 + x1, e1 / (e0 + e1)), rose };
}

/**
 * Holm–Bonferroni over a family of p-values: which ones are significant at family-wise level alpha.
 * Null p-values are not tested (never significant) and do not count in the family.
 */
export function holm(pValues: readonly (number | null)[], alpha = ALPHA): boolean[] {
  const tested = pValues
    .map((p, i) => ({ p, i }))
    .filter((x): x is { p: number; i: number } => x.p !== null)
    .sort((a, b) => a.p - b.p || a.i - b.i);
  const out = pValues.map(() => false);
  const m = tested.length;
  for (let j = 0; j < m; j++) {
    const t = tested[j];
    if (t === undefined || t.p > alpha / (m - j)) break;
    out[t.i] = true;
  }
  return out;
}
