/**
 * Offline evaluation of offer-arbitration policies on the decision log (inverse propensity weighting):
 *
 *   npm run evaluate:policy -- --from 2026-11-01 --to 2026-11-30 [--policy greedy,uniform,logged]
 *
 * Reads the log of the configured mode (DATA_DIR, or REDIS_URL for the distributed mode), the same
 * environment the server uses. Each decision logged the probability its first offer had of being
 * chosen; a target policy's acceptance is estimated by reweighting the observed outcomes.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/env.js';
import { createContainer } from '../src/container.js';
import { createLogger } from '../src/logging/logger.js';
import { evaluatePolicy, TARGET_POLICIES } from '../src/offers/off-policy.js';

const { values } = parseArgs({
  options: {
    from: { type: 'string', default: '1970-01-01' },
    to: { type: 'string', default: '2999-12-31' },
    policy: { type: 'string', default: Object.keys(TARGET_POLICIES).join(',') },
  },
});

const names = values.policy.split(',').map((s) => s.trim());
const unknown = names.filter((n) => !TARGET_POLICIES[n]);
if (unknown.length) {
  console.error(`Unknown policy ${unknown.join(', ')}; known: ${Object.keys(TARGET_POLICIES).join(', ')}`);
  process.exit(2);
}
const config = loadConfig(process.env);
const container = await createContainer(config, createLogger('warn'));
try {
  const from = new Date(`${values.from}${values.from.includes('T') ? '' : 'T00:00:00+08:00'}`).toISOString();
  const to = new Date(`${values.to}${values.to.includes('T') ? '' : 'T23:59:59.999+08:00'}`).toISOString();
  const records = await container.decisions.log(from, to);
  const wait = container.decisions.catalog.policy.noAnswerAfter;
  console.log(`${records.length} decisions logged from ${values.from} to ${values.to}`);
  console.log('policy              n      IPW      95% CI              SNIPS    ESS      observed');
  for (const name of names) {
    const e = evaluatePolicy(records, name, TARGET_POLICIES[name]!, Date.now(), wait);
    console.log(
      `${name.padEnd(18)} ${String(e.n).padStart(6)}  ${e.ipw.toFixed(4)}  [${e.ci95[0].toFixed(4)}, ${e.ci95[1].toFixed(4)}]  ${e.snips.toFixed(4)}  ${e.effectiveSampleSize.toFixed(0).padStart(6)}  ${e.observed.toFixed(4)}`,
    );
  }
} finally {
  await container.close();
}
