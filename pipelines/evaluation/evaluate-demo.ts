/**
 * Scores the rules on conversations of the demo-data generator (pipelines/demo-data, phrase banks
 * written by someone else), against the plan each conversation was written from. An independent
 * check of generality next to `npm run evaluate`. Usage: npx tsx pipelines/evaluation/evaluate-demo.ts [--count N] [--seed N]
 */
import { createPipeline } from '../../src/pipeline/run-pipeline.js';
import type { Expected } from '../corpus/types.js';
import { generateDemoItems } from '../demo-data/generate.js';
import type { ConversationPlan } from '../demo-data/plan.js';
import { addExample, DIMENSIONS, emptyScores, labelsOf } from './metrics.js';

function expectedOf(plan: ConversationPlan): Expected {
  const c = plan.complaint;
  return {
    complaint: c !== undefined,
    categories: c ? [c.category] : [],
    escalation: c?.escalation ? [c.escalation] : [],
    competitors: plan.competitors.map((p) => ({
      id: p.id,
      aspects: p.aspect === 'other' ? [] : [p.aspect],
      switchingIntent: p.switchingIntent,
    })),
    needs: plan.needs,
    declinedNeeds: plan.declinedNeeds,
    lifeEvents: plan.lifeEvents,
  };
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const pipeline = createPipeline();
const scores = emptyScores();
const worst: string[] = [];
for (const item of generateDemoItems({ count: option('--count', 500), seed: option('--seed', 11) })) {
  const analysis = pipeline.process(item.conversation).analysis;
  const expected = expectedOf(item.plan);
  if (addExample(scores, expected, analysis) > 0 && worst.length < option('--worst', 25)) {
    const customer = item.conversation.utterances.filter((u) => u.speaker === 'customer').map((u) => u.text);
    const diffs = DIMENSIONS.filter((d) => d !== 'aspects')
      .map((d) => [d, labelsOf(d, expected).sort().join(','), labelsOf(d, analysis).sort().join(',')])
      .filter(([, w, g]) => w !== g)
      .map(([d, w, g]) => `${d}: expected [${w}] got [${g}]`);
    worst.push(`- ${customer.join(' / ')}\n    ${diffs.join('\n    ')}`);
  }
}
console.log('| dimension | precision | recall | F1 | support |\n|---|---|---|---|---|');
for (const d of DIMENSIONS) {
  const s = scores.overall[d];
  console.log(
    `| ${d} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} | ${s.f1.toFixed(3)} | ${s.support} |`,
  );
}
console.log(worst.join('\n'));
