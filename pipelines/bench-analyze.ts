/**
 * Single-core throughput of the whole analysis stage (normalise -> segment -> analyse, what
 * `Pipeline.process` does) against raw nodejieba segmentation of the same text, in the same run.
 * Rounds alternate between the two and the best round of each counts, so a busy machine skews both
 * alike. `npm run bench:analyze` runs the tsc build of this file (what production runs); running it
 * through tsx works too but measures tsx's module interop as well (slower).
 * With the model on (the default when models/manifest.json names one; `--model none` for rules
 * alone), a third row runs AnalysisService.analyseMany in batches of 100 conversations (the worker's
 * batch): rules, then the utterance model over every customer utterance, then the combination; a
 * fourth row times the model alone (scoreWordTable, as the service calls it) over the same inputs,
 * in texts per second.
 * Usage: npm run bench:analyze [-- --rounds 10] [--input conversations.jsonl] [--model none|DIR]
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { AnalysisService } from '../src/analysis/analysis-service.js';
import { loadAnalysisModelDir } from '../src/analysis/load-classifier.js';
import { modelInputWords } from '../src/analysis/model-inputs.js';
import type { Conversation } from '../src/domain/conversation.js';
import { classifierDirFromManifest } from '../src/ml/manifest.js';
import { createPipeline } from '../src/pipeline/run-pipeline.js';
import { jiebaCut } from '../src/pipeline/segment/jieba.js';
import { CORPUS_HOME_INSTITUTION } from './corpus/home.js';

// npm runs scripts from the package root; the compiled copy lives elsewhere
const ROOT = process.cwd();

function readJsonl(file: string): unknown[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as unknown);
}

/** The labelled corpus (default) or any JSONL of native conversations (--input FILE). */
function loadConversations(input: string | undefined): Conversation[] {
  if (input) return readJsonl(input) as Conversation[];
  return ['train', 'dev'].flatMap((split) =>
    readJsonl(join(ROOT, 'pipelines/corpus', `${split}.jsonl`)).map(
      (item) => (item as { conversation: Conversation }).conversation,
    ),
  );
}

function seconds(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function secondsAsync(run: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
  const option = (name: string): string | undefined => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  const rounds = Number(option('--rounds') ?? 10);
  const conversations = loadConversations(option('--input'));
  const texts = conversations.flatMap((c) => c.utterances.map((u) => u.text));
  const bytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t, 'utf8'), 0);
  const pipeline = createPipeline({
    modelsDir: join(ROOT, 'models'),
    homeInstitution: CORPUS_HOME_INSTITUTION,
  });

  let sink = 0;
  const raw = (): void => {
    for (const t of texts) sink += jiebaCut(t).length;
  };
  // Each round starts with nothing remembered (run-pipeline.ts remembers the normalisation and
  // words of utterance texts): a round gains only from the repetition inside the text itself, as a
  // fresh worker would, not from having seen the same text in the round before.
  const full = (): void => {
    pipeline.clearRemembered();
    for (const c of conversations) sink += pipeline.process(c).tokens.length;
  };
  const modelOption = option('--model');
  const model =
    modelOption === 'none'
      ? undefined
      : await loadAnalysisModelDir(modelOption ?? (await classifierDirFromManifest(join(ROOT, 'models'))));
  const service = model ? new AnalysisService(pipeline, model) : undefined;
  const withModel = async (): Promise<void> => {
    pipeline.clearRemembered();
    for (let i = 0; i < conversations.length; i += 100)
      sink += (await service!.analyseMany(conversations.slice(i, i + 100))).length;
  };
  // the model's inputs per batch of 100 conversations, exactly as analyseMany builds them (as words)
  const modelTexts = model
    ? Array.from({ length: Math.ceil(conversations.length / 100) }, (_, b) =>
        conversations.slice(b * 100, b * 100 + 100).flatMap((c) => {
          const inputs = modelInputWords(c, pipeline.process(c).tokens, model.policy.inputs);
          return [
            ...inputs.utterances.map((u) => u.words),
            ...(inputs.side === undefined ? [] : [inputs.side]),
          ];
        }),
      )
    : [];
  const modelTextCount = modelTexts.reduce((n, b) => n + b.length, 0);
  const modelAlone = async (): Promise<void> => {
    const classifier = model!.classifier;
    for (const batch of modelTexts)
      sink += (
        await (classifier.scoreWordTable
          ? classifier.scoreWordTable(batch)
          : classifier.scoreTable(batch.map((w) => w.join(' '))))
      ).scores.length;
  };
  raw();
  full(); // warm-up
  if (service) await withModel();
  if (model) await modelAlone();
  let bestRaw = Infinity;
  let bestFull = Infinity;
  let bestModel = Infinity;
  let bestAlone = Infinity;
  for (let r = 0; r < rounds; r++) {
    bestRaw = Math.min(bestRaw, seconds(raw));
    bestFull = Math.min(bestFull, seconds(full));
    if (service) bestModel = Math.min(bestModel, await secondsAsync(withModel));
    if (model) bestAlone = Math.min(bestAlone, await secondsAsync(modelAlone));
  }
  const row = (name: string, s: number): string =>
    `${name.padEnd(30)} ${(texts.length / s).toFixed(0).padStart(8)} utterances/s ${(bytes / s / 1e6).toFixed(2).padStart(6)} MB/s`;
  console.log(
    `text: ${conversations.length} conversations, ${texts.length} utterances (${new Set(texts).size} distinct), ${(bytes / 1e6).toFixed(2)} MB UTF-8; best of ${rounds} rounds`,
  );
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores, 1 used), node ${process.version}`,
  );
  console.log(row('raw nodejieba cut (HMM on)', bestRaw));
  console.log(row('full analysis (process)', bestFull));
  console.log(`ratio full / raw: ${(bestRaw / bestFull).toFixed(2)}`);
  if (service) {
    console.log(row(`rules + model ${model!.classifier.version}`, bestModel));
    console.log(`ratio rules + model / raw: ${(bestRaw / bestModel).toFixed(2)} (target >= 0.4)`);
    console.log(
      `${'model alone (scoreWordTable)'.padEnd(30)} ${(modelTextCount / bestAlone).toFixed(0).padStart(8)} texts/s (${modelTextCount} texts: customer utterances and sides)`,
    );
  }
  if (sink < 0) console.log(sink);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
