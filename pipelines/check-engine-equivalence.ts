/**
 * Holds a speed change to "no output changes": records the engine's full output over every item in
 * pipelines/blind/ (the analysis JSON of rules alone and of rules + model, and the model's raw
 * scores for every input it is given), then compares a later run with that record. Analyses must be
 * identical; model scores may differ by at most 1e-5 (a graph that sums the same rows in another
 * order rounds differently in float32).
 *
 * Usage:
 *   npx tsx pipelines/check-engine-equivalence.ts record FILE [--model DIR]
 *   npx tsx pipelines/check-engine-equivalence.ts compare FILE [--model DIR]
 * The model is DIR, else the one models/manifest.json names. FILE is written gzipped JSON lines.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AnalysisService } from '../src/analysis/analysis-service.js';
import { loadAnalysisModelDir } from '../src/analysis/load-classifier.js';
import { modelInputs } from '../src/analysis/model-inputs.js';
import type { Conversation } from '../src/domain/conversation.js';
import { classifierDirFromManifest } from '../src/ml/manifest.js';
import { createPipeline } from '../src/pipeline/run-pipeline.js';
import { CORPUS_HOME_INSTITUTION } from './corpus/home.js';
import { listJsonl, readBlindItems } from './evaluation/blind-items.js';

const ROOT = process.cwd();
const SCORE_TOLERANCE = 1e-5;
/** The worker's batch (analysis-pool.ts): batching decides which texts share a padded model call. */
const BATCH = 100;

interface Record {
  id: string;
  rules: string;
  combined: string;
  /** per model input: label → score */
  scores: { [label: string]: number }[];
}

async function run(modelDir: string): Promise<Record[]> {
  const conversations: Conversation[] = readBlindItems(listJsonl([join(ROOT, 'pipelines/blind')])).map(
    (item) => item.conversation,
  );
  const pipeline = createPipeline({
    modelsDir: join(ROOT, 'models'),
    homeInstitution: CORPUS_HOME_INSTITUTION,
  });
  const model = await loadAnalysisModelDir(modelDir);
  const rulesOnly = new AnalysisService(pipeline, undefined);
  const withModel = new AnalysisService(pipeline, model);
  const out: Record[] = [];
  for (let i = 0; i < conversations.length; i += BATCH) {
    const batch = conversations.slice(i, i + BATCH);
    const rules = await rulesOnly.analyseMany(batch);
    const combined = await withModel.analyseMany(batch);
    // Every input the service gives the model (customer utterances, then the customer side).
    const texts = batch.map((c, k) => {
      const inputs = modelInputs(c, rules[k]!.tokens, model.policy.inputs);
      return [...inputs.utterances.map((u) => u.text), ...(inputs.side === undefined ? [] : [inputs.side])];
    });
    const scored = await model.classifier.classify(texts.flat());
    let at = 0;
    batch.forEach((c, k) => {
      const scores = texts[k]!.map(() => Object.fromEntries(scored[at++]!.map((s) => [s.label, s.score])));
      out.push({
        id: c.id,
        rules: JSON.stringify(rules[k]),
        combined: JSON.stringify(combined[k]),
        scores,
      });
    });
  }
  return out;
}

function compare(before: Record[], after: Record[]): string[] {
  const problems: string[] = [];
  if (before.length !== after.length) problems.push(`${before.length} items recorded, ${after.length} now`);
  let worst = 0;
  before.forEach((b, i) => {
    const a = after[i];
    if (!a || a.id !== b.id) return void problems.push(`item ${i}: ${b.id} recorded, ${a?.id} now`);
    if (a.rules !== b.rules) problems.push(`${b.id}: rules-alone analysis differs`);
    if (a.combined !== b.combined) problems.push(`${b.id}: rules + model analysis differs`);
    if (a.scores.length !== b.scores.length)
      return void problems.push(`${b.id}: number of model inputs differs`);
    b.scores.forEach((row, t) => {
      for (const [label, score] of Object.entries(row)) {
        const d = Math.abs((a.scores[t]?.[label] ?? NaN) - score);
        if (!(d <= SCORE_TOLERANCE))
          problems.push(`${b.id} input ${t} ${label}: ${score} → ${a.scores[t]?.[label]}`);
        if (d > worst) worst = d;
      }
    });
  });
  console.log(`largest score difference: ${worst.toExponential(2)}`);
  return problems;
}

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  const at = process.argv.indexOf('--model');
  if ((mode !== 'record' && mode !== 'compare') || !file)
    throw new Error('usage: check-engine-equivalence.ts record|compare FILE [--model DIR]');
  const modelDir = at >= 0 ? process.argv[at + 1]! : await classifierDirFromManifest(join(ROOT, 'models'));
  const records = await run(modelDir);
  const inputs = records.reduce((n, r) => n + r.scores.length, 0);
  if (mode === 'record') {
    writeFileSync(file, gzipSync(records.map((r) => JSON.stringify(r)).join('\n')));
    console.log(`recorded ${records.length} items, ${inputs} model inputs (model ${modelDir}) → ${file}`);
    return;
  }
  const before = gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .map((l) => JSON.parse(l) as Record);
  const problems = compare(before, records);
  for (const p of problems.slice(0, 20)) console.log(p);
  if (problems.length > 0) {
    console.log(`NOT EQUIVALENT: ${problems.length} differences over ${records.length} items`);
    process.exit(1);
  }
  console.log(
    `equivalent: ${records.length} items, analyses identical, ${inputs} model inputs within ${SCORE_TOLERANCE}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
