// The significance rule of the competitor reports (src/reports/significance.ts), for the console's
// period comparison: the conditional binomial test of two Poisson counts with the number of
// conversations in each period as exposure, one-sided in the direction of the change, and
// Holm–Bonferroni across the values of one facet. Kept in step with the server's copy.
export const ALPHA = 0.05;

const logFactorials = [0];
function logFactorial(k) {
  for (let i = logFactorials.length; i <= k; i++) logFactorials.push(logFactorials[i - 1] + Math.log(i));
  return logFactorials[k];
}

/** P(X >= k) for X ~ Binomial(n, p). */
export function binomialUpperTail(k, n, p) {
  if (k <= 0) return 1;
  if (k > n || p <= 0) return 0;
  if (p >= 1) return 1;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let sum = 0;
  for (let i = k; i <= n; i++)
    sum += Math.exp(logFactorial(n) - logFactorial(i) - logFactorial(n - i) + i * lp + (n - i) * lq);
  return Math.min(1, sum);
}

/** One-sided p-value of the change of x1 (exposure e1) against x0 (exposure e0); null without exposure. */
export function changeTest(x1, e1, x0, e0) {
  if (e0 <= 0 || e1 <= 0) return null;
  const rose = x1 * e0 > x0 * e1;
  return rose
    ? binomialUpperTail(x1, x0 + x1, e1 / (e0 + e1))
    : binomialUpperTail(x0, x0 + x1, e0 / (e0 + e1));
}

/** Holm–Bonferroni: which p-values are significant at family-wise level alpha (nulls never). */
export function holm(pValues, alpha = ALPHA) {
  const tested = pValues
    .map((p, i) => ({ p, i }))
    .filter((x) => x.p !== null)
    .sort((a, b) => a.p - b.p || a.i - b.i);
  const out = pValues.map(() => false);
  for (let j = 0; j < tested.length; j++) {
    if (tested[j].p > alpha / (tested.length - j)) break;
    out[tested[j].i] = true;
  }
  return out;
}
