/**
 * Scores the analysis engine on items written blind (pipelines/eval/BRIEF.md):
 *
 *   npm run evaluate:round -- pipelines/eval/round-1 --first-contact   # once, before anyone reads the round
 *   npm run evaluate:round -- pipelines/blind --split dev --errors 20   # the blind dev split, with errors
 *
 * Each system (rules alone; rules + the manifest's model, or --model DIR) is scored side by side.
 * `--first-contact` writes <dir>/FIRST-CONTACT.md with the date, engine versions and the sha256 of
 * every scored file, and refuses when that file exists: a round has exactly one first contact.
 * `--errors` is refused on a sealed round without FIRST-CONTACT.md, so nobody reads it early.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { AnalysisService } from '../src/analysis/analysis-service.js';
import type { Analysis } from '../src/domain/analysis.js';
import type { Conversation } from '../src/domain/conversation.js';
import { classifierDirFromManifest } from '../src/ml/manifest.js';
import { loadAnalysisModelDir } from '../src/analysis/load-classifier.js';
import { createPipeline, DEFAULT_MODELS_DIR } from '../src/pipeline/run-pipeline.js';
import { CORPUS_HOME_INSTITUTION } from './corpus/home.js';
import { listJsonl, readBlindItems, type BlindItem } from './evaluation/blind-items.js';
import { splitTrainDev } from './evaluation/splits.js';
import { keywordTracker } from './evaluation/keyword-tracker.js';
import { DIMENSIONS, labelsOf } from './evaluation/metrics.js';
import {
  addItem,
  detailTable,
  emptyRoundScores,
  headlineHeader,
  headlineRow,
  toneOf,
  type RoundScores,
} from './evaluation/round-scores.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string' },
    split: { type: 'string' },
    pattern: { type: 'string', default: '' },
    'first-contact': { type: 'boolean', default: false },
    errors: { type: 'string' },
  },
});

function filesToScore(): string[] {
  if (positionals.length === 0)
    throw new Error(
      'name the round directory or files to score, e.g. npm run evaluate:round -- pipelines/eval/round-4 [--split dev] [--errors 20] [--model DIR|none] [--first-contact]',
    );
  const pattern = new RegExp(`${values.pattern}.*\\.jsonl$`);
  let files = listJsonl(positionals, pattern).filter((f) => !/\/(texts|labels-b)-/.test(f));
  // A round is scored on its adjudicated gold files when they exist.
  if (files.some((f) => basename(f).startsWith('gold-')))
    files = files.filter((f) => basename(f).startsWith('gold-'));
  if (values.split === 'dev') files = splitTrainDev(files).dev;
  if (values.split === 'train') files = splitTrainDev(files).train;
  if (files.length === 0) throw new Error(`no .jsonl files under ${positionals.join(', ')}`);
  return files;
}

interface System {
  name: string;
  versions: object;
  analyseMany(conversations: Conversation[]): Promise<{ analysis: Analysis }[]>;
}

async function systems(): Promise<System[]> {
  const pipeline = createPipeline({ homeInstitution: CORPUS_HOME_INSTITUTION });
  const asSystem = (name: string, service: AnalysisService): System => ({
    name,
    versions: service.versions,
    analyseMany: (c) => service.analyseMany(c),
  });
  const out: System[] = [
    {
      name: 'keyword tracker (taxonomy.md words)',
      versions: { baseline: 'pipelines/evaluation/keyword-tracker.ts' },
      analyseMany: (c) => Promise.resolve(c.map((x) => ({ analysis: keywordTracker(x) }))),
    },
    asSystem('rules', new AnalysisService(pipeline, undefined)),
  ];
  if (values.model === 'none') return out;
  const dir = values.model ?? (await classifierDirFromManifest(DEFAULT_MODELS_DIR));
  const model = await loadAnalysisModelDir(dir);
  out.push(asSystem(`rules + model ${model.classifier.version}`, new AnalysisService(pipeline, model)));
  return out;
}

function describeErrors(item: BlindItem, analysis: Analysis): string[] {
  const lines = item.conversation.utterances.map((u, i) => `    ${i} ${u.speaker}: ${u.text}`);
  for (const d of DIMENSIONS) {
    const want = labelsOf(d, item.expected).sort().join(',');
    const got = labelsOf(d, analysis).sort().join(',');
    if (want !== got) lines.push(`    ${d}: expected [${want}] got [${got}]`);
  }
  if (toneOf(analysis) !== item.expected.sentiment)
    lines.push(`    tone: expected ${item.expected.sentiment} got ${analysis.sentiment.customer.toFixed(2)}`);
  return lines;
}

async function main(): Promise<void> {
  const files = filesToScore();
  const sealedDir = positionals.find((p) => /eval\/round-\d+\/?$/.test(p));
  if (values.errors && sealedDir && !existsSync(join(sealedDir, 'FIRST-CONTACT.md')))
    throw new Error(`${sealedDir} is sealed: score it with --first-contact before reading its errors`);
  if (values['first-contact'] && !sealedDir) throw new Error('--first-contact needs a round directory');
  if (values['first-contact'] && existsSync(join(sealedDir!, 'FIRST-CONTACT.md')))
    throw new Error(`${sealedDir}/FIRST-CONTACT.md exists: a round has one first contact`);
  // A sealed round is scored once, by its first contact; a directory such as pipelines/eval must not
  // pull its files into any other score (the dev split included) before that.
  const stillSealed = [
    ...new Set(
      files
        .map((f) => /^(.*\/eval\/round-\d+)\//.exec(f)?.[1])
        .filter((d): d is string => d !== undefined && !existsSync(join(d, 'FIRST-CONTACT.md'))),
    ),
  ].filter((d) => !(values['first-contact'] && sealedDir && d === sealedDir.replace(/\/$/, '')));
  if (stillSealed.length > 0)
    throw new Error(
      `${stillSealed.join(', ')} ${stillSealed.length > 1 ? 'are' : 'is'} sealed (no FIRST-CONTACT.md): score it once with --first-contact before any other score includes it`,
    );

  const items = readBlindItems(files);
  const results: { name: string; versions: object; scores: RoundScores }[] = [];
  const errorLines: string[] = [];
  for (const system of await systems()) {
    const { name } = system;
    const scores = emptyRoundScores();
    const analyses = await system.analyseMany(items.map((i) => i.conversation));
    const worst: { errors: number; lines: string[] }[] = [];
    items.forEach((item, k) => {
      const analysis = analyses[k]!.analysis;
      const errors = addItem(scores, item, analysis);
      if (errors > 0)
        worst.push({
          errors,
          lines: [`- ${item.conversation.id} ${item.kind}`, ...describeErrors(item, analysis)],
        });
    });
    results.push({ name, versions: system.versions, scores });
    if (values.errors) {
      worst.sort((a, b) => b.errors - a.errors);
      errorLines.push(
        `## ${name}: ${worst.length} items with an error`,
        ...worst.slice(0, Number(values.errors)).flatMap((w) => w.lines),
      );
    }
  }

  const counts = results[0]!.scores.counts;
  const report = [
    `Scored ${items.length} items (${Object.entries(counts)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}) from ${files.length} files on ${new Date().toISOString()}.`,
    '',
    'Conversations (F1 per dimension) and short texts:',
    '',
    ...headlineHeader(),
    ...results.map((r) => headlineRow(r.name, r.scores, 'conversations')),
    '',
    'All items together (conversations and short texts), F1:',
    '',
    ...headlineHeader(),
    ...results.map((r) => headlineRow(r.name, r.scores, 'all')),
    '',
    ...results.flatMap((r) => [
      `### ${r.name} (conversations), versions ${JSON.stringify(r.versions)}`,
      '',
      ...detailTable(r.scores.conversations),
      '',
    ]),
  ];
  console.log(report.join('\n'));
  if (errorLines.length > 0) console.log(errorLines.join('\n'));
  if (values['first-contact']) {
    const hashes = files.map(
      (file) =>
        `- \`${basename(file)}\` sha256 ${createHash('sha256').update(readFileSync(file)).digest('hex')}`,
    );
    const doc = ['# First contact', '', ...report, '## Files scored', '', ...hashes, ''].join('\n');
    writeFileSync(join(sealedDir!, 'FIRST-CONTACT.md'), doc);
    console.log(`wrote ${join(sealedDir!, 'FIRST-CONTACT.md')}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
