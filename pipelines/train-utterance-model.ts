/**
 * npm run train [-- --data pipelines/blind --data pipelines/eval --models DIR --no-export --epochs N ...]
 *
 * Trains the utterance model on conversations written blind (pipelines/blind/, and the adjudicated gold
 * of every sealed round after its first contact; pipelines/eval/BRIEF.md):
 * one example per customer utterance, labelled by the writers' evidence (complaint and category,
 * escalation, need, declined need, life event, competitor aspect, switching), plus one example per
 * customer side labelled for tone. The dev split: each blind writer's fifth file and the second half of
 * each round writer's gold files (pipelines/evaluation/splits.ts). Reports dev scores
 * per utterance and per conversation (max over its utterances), exports models/classifier/<version>/
 * through the same fastText → ONNX path as before, checks it through transformers.js and records it
 * in models/manifest.json. How its scores combine with the rules is chosen on dev by
 * pipelines/tune-combination.ts, not here.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COMBINATION_FILE, CONSERVATIVE_POLICY } from '../src/analysis/combination-policy.js';
import type { InputScheme } from '../src/analysis/model-inputs.js';
import { UTTERANCE_MODEL_LABELS } from '../src/ml/classifier-labels.js';
import { buildFastTextModel, type BuildOptions } from './classifier/fasttext/build.js';
import { modelFiles, writeModelDir } from './classifier/fasttext/export-model-dir.js';
import { forward, sigmoid, type Pooling } from './classifier/fasttext/model.js';
import { DEFAULT_TRAIN_OPTIONS } from './classifier/fasttext/train.js';
import { CLASSIFIER_MANIFEST_NAME, upsertManifestEntry } from '../src/ml/manifest.js';
import { versionOfHashes } from '../src/ml/model-dir.js';
import { loadTransformersClassifier } from '../src/ml/transformers-classifier.js';
import { createPipeline } from '../src/pipeline/run-pipeline.js';
import { CORPUS_HOME_INSTITUTION } from './corpus/home.js';
import { evaluate, formatEvaluation } from './classifier/metrics.js';
import { formatJsonFile, formatJsonFiles } from './classifier/prettier-json.js';
import { utteranceExamples, type UtteranceExample } from './classifier/utterance-examples.js';
import { readBlindItems, type BlindItem } from './evaluation/blind-items.js';
import { DEFAULT_TRAINING_PATHS, listTrainingFiles, splitTrainDev } from './evaluation/splits.js';

const THRESHOLD = 0.5;

/** Chosen on the blind dev split (model alone, micro-F1 over all labels per conversation). */
export const UTTERANCE_BUILD_OPTIONS: BuildOptions = {
  ...DEFAULT_TRAIN_OPTIONS,
  epochs: 40,
  dim: 96,
  dropout: 0.7,
  charDropout: 0.3,
  positiveWeight: 4,
  minWordCount: 1,
  minFeatureCount: 2,
  maxFeatures: 12,
  maxLength: 8192,
};

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

function inputScheme(v: string): InputScheme {
  if (v === 'utterance' || v === 'utterance+agent') return v;
  throw new Error(`--inputs must be utterance or utterance+agent, got ${v}`);
}

function parsePooling(v: string): Pooling {
  if (v === 'mean' || v === 'sqrt' || v === 'sum') return v;
  throw new Error(`--pooling must be mean, sqrt or sum, got ${v}`);
}

const { values } = parseArgs({
  options: {
    data: { type: 'string', multiple: true },
    models: { type: 'string', default: 'models' },
    'no-export': { type: 'boolean', default: false },
    'all-labels': { type: 'boolean', default: false },
    'train-on-dev': { type: 'boolean', default: false },
    inputs: { type: 'string', default: 'utterance+agent' },
    dim: { type: 'string' },
    epochs: { type: 'string' },
    lr: { type: 'string' },
    'positive-weight': { type: 'string' },
    dropout: { type: 'string' },
    'char-dropout': { type: 'string' },
    pooling: { type: 'string' },
    seed: { type: 'string' },
  },
});

function buildOptions(): BuildOptions {
  const num = (v: string | undefined, d: number): number => (v === undefined ? d : Number(v));
  const b = UTTERANCE_BUILD_OPTIONS;
  return {
    ...b,
    dim: num(values.dim, b.dim),
    epochs: num(values.epochs, b.epochs),
    learningRate: num(values.lr, b.learningRate),
    positiveWeight: num(values['positive-weight'], b.positiveWeight),
    dropout: num(values.dropout, b.dropout),
    charDropout: num(values['char-dropout'], b.charDropout),
    seed: num(values.seed, b.seed),
    pooling: values.pooling === undefined ? b.pooling : parsePooling(values.pooling),
  };
}

async function main(): Promise<void> {
  const build = buildOptions();
  const segmentation = { segmenter: 'the analysis pipeline tokens (src/analysis/model-inputs.ts)' };
  const files = listTrainingFiles(values.data ?? DEFAULT_TRAINING_PATHS);
  const split = splitTrainDev(files);
  const trainFiles = values['train-on-dev'] ? files : split.train;
  const devFiles = split.dev;
  const trainItems = readBlindItems(trainFiles);
  const devItems = readBlindItems(devFiles);
  const pipeline = createPipeline({ homeInstitution: CORPUS_HOME_INSTITUTION });
  const scheme = inputScheme(String(values.inputs));
  const examplesOf = (i: BlindItem) => utteranceExamples(i, pipeline.process(i.conversation).tokens, scheme);
  const train = trainItems.flatMap(examplesOf);
  const dev = devItems.flatMap(examplesOf);
  console.log(
    `train: ${trainItems.length} items, ${train.length} examples (${trainFiles.length} files); dev: ${devItems.length} items, ${dev.length} examples`,
  );
  const started = Date.now();
  const model = buildFastTextModel(train, UTTERANCE_MODEL_LABELS, build);
  const trainMs = Date.now() - started;
  console.log(`trained in ${trainMs} ms: vocabulary ${model.vocab.length}`);

  const scoresOf = (e: UtteranceExample): Float32Array => forward(model.params, model.encode(e.text));
  const known = (e: UtteranceExample) =>
    new Set(UTTERANCE_MODEL_LABELS.filter((l) => !(e.unknown ?? []).includes(l)));
  // Per utterance: only labels the example knows about are scored.
  const gold: Set<string>[] = [];
  const predicted: Set<string>[] = [];
  const perConversation = new Map<string, { gold: Set<string>; predicted: Set<string> }>();
  for (const e of dev) {
    const logits = scoresOf(e);
    const k = known(e);
    const p = new Set(
      UTTERANCE_MODEL_LABELS.filter((l, i) => k.has(l) && sigmoid(logits[i] ?? 0) > THRESHOLD),
    );
    const g = new Set(e.labels.filter((l) => k.has(l)));
    gold.push(g);
    predicted.push(p);
    const c = perConversation.get(e.itemId) ?? { gold: new Set<string>(), predicted: new Set<string>() };
    for (const l of g) c.gold.add(l);
    for (const l of p) c.predicted.add(l);
    perConversation.set(e.itemId, c);
  }
  const utteranceEval = evaluate(UTTERANCE_MODEL_LABELS, gold, predicted);
  const conversations = [...perConversation.values()];
  const conversationEval = evaluate(
    UTTERANCE_MODEL_LABELS,
    conversations.map((c) => c.gold),
    conversations.map((c) => c.predicted),
  );
  const all = Boolean(values['all-labels']);
  console.log(
    `\ndev per utterance, threshold ${THRESHOLD}:\n${formatEvaluation(utteranceEval, { allLabels: all })}`,
  );
  console.log(`\ndev per conversation (model alone):\n${formatEvaluation(conversationEval)}`);
  if (values['no-export']) return;

  const fileInfo = (list: string[]) => list.map((f) => ({ file: f, sha256: sha256(readFileSync(f)) }));
  const info = {
    training: {
      kind: 'utterance',
      inputs: scheme,
      train: { items: trainItems.length, examples: train.length, files: fileInfo(trainFiles) },
      dev: { items: devItems.length, examples: dev.length, files: fileInfo(devFiles) },
      segmentation,
      options: build,
    },
  };
  const modelsDir = String(values.models);
  const files2 = modelFiles(model.params, model.vocab, { maxLength: build.maxLength, info });
  await formatJsonFiles(files2, path.join(modelsDir, 'classifier'));
  const hashes = Object.fromEntries([...files2].map(([rel, data]) => [rel, sha256(data)]));
  const version = versionOfHashes(hashes);
  const dir = path.join(modelsDir, 'classifier', version);
  await writeModelDir(dir, files2);
  // Until tune:combination measures better, the model only adds what it is very sure of; the
  // input scheme travels with the model so the service builds the same inputs.
  const { add, veto, toneWeight } = CONSERVATIVE_POLICY;
  writeFileSync(
    path.join(dir, COMBINATION_FILE),
    `${JSON.stringify({ inputs: scheme, add, veto, toneWeight }, null, 2)}\n`,
  );
  const bytes = [...files2.values()].reduce((n, d) => n + d.length, 0);

  const classifier = await loadTransformersClassifier(dir);
  if (classifier.version !== version) throw new Error(`loader version ${classifier.version} != ${version}`);
  const sample = dev.slice(0, 50);
  const viaPipeline = await classifier.classify(sample.map((t) => t.text));
  let maxDiff = 0;
  sample.forEach((t, i) => {
    const logits = scoresOf(t);
    for (const s of viaPipeline[i] ?? []) {
      const li = UTTERANCE_MODEL_LABELS.indexOf(s.label);
      maxDiff = Math.max(maxDiff, Math.abs(s.score - sigmoid(logits[li] ?? 0)));
    }
  });
  if (maxDiff > 1e-4) throw new Error(`exported model disagrees with training forward pass by ${maxDiff}`);

  await upsertManifestEntry(path.join(modelsDir, 'manifest.json'), {
    name: CLASSIFIER_MANIFEST_NAME,
    version,
    path: path.relative(path.dirname(path.resolve(modelsDir)), path.resolve(dir)),
    sha256: hashes,
    sizeBytes: bytes,
    labels: UTTERANCE_MODEL_LABELS.length,
    metrics: { devPerUtterance: utteranceEval.perGroup, devPerConversation: conversationEval.perGroup },
    training: info.training,
  });
  await formatJsonFile(path.join(modelsDir, 'manifest.json'));
  console.log(
    `\nexported ${dir} (${(bytes / 1e6).toFixed(2)} MB), version ${version}; pipeline vs forward max |Δ| ${maxDiff.toExponential(2)}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
