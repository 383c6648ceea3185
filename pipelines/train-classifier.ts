/**
 * npm run train [-- --train FILE --dev FILE --models DIR --dictionaries DIR --no-export ...]
 *
 * Trains the fastText-style multi-label classifier on the customer side of the corpus, reports
 * precision/recall/F1 on the dev split, exports models/classifier/<version>/ (config.json,
 * tokenizer.json, tokenizer_config.json, onnx/model.onnx), checks the export through the
 * transformers.js pipeline and records it in models/manifest.json. See docs/CLASSIFIER.md.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toClassifierText } from '../src/ml/classifier-input.js';
import { CLASSIFIER_LABELS, labelsOfExpected } from '../src/ml/classifier-labels.js';
import { buildFastTextModel, type BuildOptions, type LabelledText } from '../src/ml/fasttext/build.js';
import { modelFiles, writeModelDir } from '../src/ml/fasttext/export-model-dir.js';
import { forward, sigmoid, type Pooling } from '../src/ml/fasttext/model.js';
import { DEFAULT_TRAIN_OPTIONS } from '../src/ml/fasttext/train.js';
import { CLASSIFIER_MANIFEST_NAME, upsertManifestEntry } from '../src/ml/manifest.js';
import { versionOfHashes } from '../src/ml/model-dir.js';
import { loadTransformersClassifier } from '../src/ml/transformers-classifier.js';
import { customerTexts, readCorpus } from './classifier/corpus.js';
import { loadDomainDictionary } from './classifier/dictionary.js';
import { formatJsonFile, formatJsonFiles } from './classifier/prettier-json.js';
import { evaluate, formatEvaluation } from './classifier/metrics.js';

export const DEFAULT_BUILD_OPTIONS: BuildOptions = {
  ...DEFAULT_TRAIN_OPTIONS,
  minWordCount: 1,
  minFeatureCount: 2,
  maxFeatures: 8,
  maxLength: 8192,
};
const THRESHOLD = 0.5;

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

function parsePooling(v: string): Pooling {
  if (v === 'mean' || v === 'sqrt' || v === 'sum') return v;
  throw new Error(`--pooling must be mean, sqrt or sum, got ${v}`);
}

function options(): { args: Record<string, string | boolean | undefined>; build: BuildOptions } {
  const { values } = parseArgs({
    options: {
      train: { type: 'string', default: 'pipelines/corpus/train.jsonl' },
      dev: { type: 'string', default: 'pipelines/corpus/dev.jsonl' },
      models: { type: 'string', default: 'models' },
      dictionaries: { type: 'string', default: 'models/dictionaries' },
      'no-export': { type: 'boolean', default: false },
      'all-labels': { type: 'boolean', default: false },
      dim: { type: 'string' },
      epochs: { type: 'string' },
      lr: { type: 'string' },
      'positive-weight': { type: 'string' },
      buckets: { type: 'string' },
      'min-feature-count': { type: 'string' },
      seed: { type: 'string' },
      pooling: { type: 'string' },
      dropout: { type: 'string' },
      'char-dropout': { type: 'string' },
    },
  });
  const num = (v: string | undefined, d: number): number => (v === undefined ? d : Number(v));
  const b = DEFAULT_BUILD_OPTIONS;
  const build: BuildOptions = {
    ...b,
    dim: num(values.dim, b.dim),
    epochs: num(values.epochs, b.epochs),
    learningRate: num(values.lr, b.learningRate),
    positiveWeight: num(values['positive-weight'], b.positiveWeight),
    bigramBuckets: num(values.buckets, b.bigramBuckets),
    minFeatureCount: num(values['min-feature-count'], b.minFeatureCount),
    seed: num(values.seed, b.seed),
    dropout: num(values.dropout, b.dropout),
    charDropout: num(values['char-dropout'], b.charDropout),
    pooling: values.pooling === undefined ? b.pooling : parsePooling(values.pooling),
  };
  return { args: values, build };
}

async function labelled(file: string): Promise<LabelledText[]> {
  return (await readCorpus(file)).map((r) => ({
    text: toClassifierText(customerTexts(r.conversation)),
    labels: labelsOfExpected(r.expected),
  }));
}

async function main(): Promise<void> {
  const { args, build } = options();
  const segmentation = await loadDomainDictionary(String(args.dictionaries));
  const trainFile = String(args.train);
  const devFile = String(args.dev);
  const [train, dev] = [await labelled(trainFile), await labelled(devFile)];
  console.log(`train ${train.length} texts, dev ${dev.length} texts, ${CLASSIFIER_LABELS.length} labels`);
  const started = Date.now();
  const model = buildFastTextModel(train, CLASSIFIER_LABELS, build);
  const rows = model.params.embeddings.length / model.params.dim;
  console.log(
    `trained in ${Date.now() - started} ms: vocabulary ${model.vocab.length}, embedding rows ${rows}`,
  );

  const predict = (t: LabelledText): Set<string> => {
    const logits = forward(model.params, model.encode(t.text));
    return new Set(CLASSIFIER_LABELS.filter((_, i) => sigmoid(logits[i] ?? 0) > THRESHOLD));
  };
  const score = (set: LabelledText[]) =>
    evaluate(
      CLASSIFIER_LABELS,
      set.map((t) => new Set(t.labels)),
      set.map(predict),
    );
  const trainEval = score(train);
  const devEval = score(dev);
  console.log(`\ntrain (fit): all micro-F1 ${trainEval.perGroup.all?.f1}`);
  console.log(
    `dev, threshold ${THRESHOLD}:\n${formatEvaluation(devEval, { allLabels: Boolean(args['all-labels']) })}`,
  );
  if (args['no-export']) return;

  const info = {
    training: {
      train: { file: trainFile, records: train.length, sha256: sha256(await readFile(trainFile)) },
      dev: { file: devFile, records: dev.length, sha256: sha256(await readFile(devFile)) },
      segmentation,
      options: build,
    },
  };
  const modelsDir = String(args.models);
  const files = modelFiles(model.params, model.vocab, { maxLength: build.maxLength, info });
  await formatJsonFiles(files, path.join(modelsDir, 'classifier'));
  const hashes = Object.fromEntries([...files].map(([rel, data]) => [rel, sha256(data)]));
  const version = versionOfHashes(hashes);
  const dir = path.join(modelsDir, 'classifier', version);
  await writeModelDir(dir, files);
  const bytes = [...files.values()].reduce((n, d) => n + d.length, 0);

  const loadStart = Date.now();
  const classifier = await loadTransformersClassifier(dir);
  const loadMs = Date.now() - loadStart;
  if (classifier.version !== version) throw new Error(`loader version ${classifier.version} != ${version}`);
  const sample = dev.slice(0, 50);
  const viaPipeline = await classifier.classify(sample.map((t) => t.text));
  let maxDiff = 0;
  sample.forEach((t, i) => {
    const logits = forward(model.params, model.encode(t.text));
    for (const s of viaPipeline[i] ?? []) {
      const li = CLASSIFIER_LABELS.indexOf(s.label);
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
    threshold: THRESHOLD,
    labels: CLASSIFIER_LABELS.length,
    metrics: { dev: devEval.perGroup, devPerLabel: devEval.perLabel },
    training: info.training,
  });
  await formatJsonFile(path.join(modelsDir, 'manifest.json'));
  console.log(`\nexported ${dir} (${(bytes / 1e6).toFixed(2)} MB), version ${version}`);
  console.log(
    `transformers.js load ${loadMs} ms; pipeline vs forward max |Δscore| ${maxDiff.toExponential(2)}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
