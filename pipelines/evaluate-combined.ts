/**
 * `npx tsx pipelines/evaluate-combined.ts [--split dev]`: the dev-split scores of rules alone and of
 * rules + classifier (what the service runs), side by side, to show what the model adds or costs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnalysisService } from '../src/analysis/analysis-service.js';
import { loadClassifier } from '../src/analysis/load-classifier.js';
import { loadConfig } from '../src/config/env.js';
import { createLogger } from '../src/logging/logger.js';
import { createPipeline } from '../src/pipeline/run-pipeline.js';
import type { CorpusItem } from './corpus/build-corpus.js';
import { CORPUS_HOME_INSTITUTION } from './corpus/home.js';
import { addExample, DIMENSIONS, emptyScores } from './evaluation/metrics.js';

const split = process.argv.includes('--split') ? process.argv[process.argv.indexOf('--split') + 1] : 'dev';
const items = readFileSync(join(import.meta.dirname, 'corpus', `${split}.jsonl`), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as CorpusItem);
const config = loadConfig({});
const pipeline = createPipeline({ modelsDir: config.modelsDir, homeInstitution: CORPUS_HOME_INSTITUTION });
const combined = new AnalysisService(pipeline, await loadClassifier(config, createLogger('warn')));
const rules = emptyScores();
const both = emptyScores();
for (const item of items) {
  addExample(rules, item.expected, pipeline.process(item.conversation).analysis);
  addExample(both, item.expected, (await combined.analyse(item.conversation)).analysis);
}
console.log(`${split} split, ${items.length} conversations, model ${combined.versions.model}`);
console.log('| dimension | rules P/R/F1 | rules + model P/R/F1 |\n|---|---|---|');
const f = (s: { precision: number; recall: number; f1: number }) =>
  `${s.precision.toFixed(3)} / ${s.recall.toFixed(3)} / ${s.f1.toFixed(3)}`;
for (const d of DIMENSIONS) console.log(`| ${d} | ${f(rules.overall[d])} | ${f(both.overall[d])} |`);
