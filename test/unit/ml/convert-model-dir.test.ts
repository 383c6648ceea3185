import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { customerTexts, readCorpus } from '../../../pipelines/classifier/corpus.js';
import { buildFastTextModel } from '../../../pipelines/classifier/fasttext/build.js';
import { convertModelDir } from '../../../pipelines/classifier/fasttext/convert-model-dir.js';
import { modelFiles, writeModelDir } from '../../../pipelines/classifier/fasttext/export-model-dir.js';
import { GRAPH_FORMAT } from '../../../pipelines/classifier/fasttext/onnx-export.js';
import { toClassifierText } from '../../../src/ml/classifier-input.js';
import { CLASSIFIER_LABELS, labelsOfExpected } from '../../../src/ml/classifier-labels.js';
import { loadTransformersClassifier } from '../../../src/ml/transformers-classifier.js';
import { buildLegacyOnnxModel } from '../../helpers/legacy-fasttext-graph.js';

const { onnx } = onnxProto;

describe('converting a model directory to the projected graph', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'voc-convert-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every score (|Δ| < 1e-5) and the tokenizer, under a new version', async () => {
    const records = await readCorpus('test/fixtures/classifier/train.jsonl');
    const train = records.map((r) => ({
      text: toClassifierText(customerTexts(r.conversation)),
      labels: labelsOfExpected(r.expected),
    }));
    const model = buildFastTextModel(train, CLASSIFIER_LABELS, {
      dim: 16,
      epochs: 8,
      learningRate: 0.2,
      bigramBuckets: 1024,
      positiveWeight: 2,
      pooling: 'sqrt',
      dropout: 0.3,
      charDropout: 0,
      seed: 7,
      minWordCount: 1,
      minFeatureCount: 1,
      maxFeatures: 12,
      maxLength: 512,
    });
    // a directory as the exporter wrote it before: old graph, no graph marker in config.json
    const files = modelFiles(model.params, model.vocab, { maxLength: 512 });
    const config = JSON.parse(new TextDecoder().decode(files.get('config.json'))) as {
      voc_classifier: Record<string, unknown>;
    };
    delete config.voc_classifier.graph;
    files.set('config.json', new TextEncoder().encode(JSON.stringify(config)));
    files.set('onnx/model.onnx', buildLegacyOnnxModel(model.params));
    const legacy = path.join(dir, 'legacy');
    await writeModelDir(legacy, files);
    await writeFile(path.join(legacy, 'combination.json'), '{"inputs": "utterance"}\n');

    const converted = await convertModelDir(legacy, path.join(dir, 'converted'));
    const [before, after] = await Promise.all([
      loadTransformersClassifier(legacy),
      loadTransformersClassifier(converted.dir),
    ]);
    assert.notEqual(after.version, before.version);
    assert.equal(after.version, converted.version);
    const texts = [...train.slice(0, 40).map((t) => t.text), '', '您好', '年费 太贵 了 我 要 投诉'];
    const [a, b] = await Promise.all([before.scoreTable(texts), after.scoreTable(texts)]);
    assert.deepEqual(b.labels, a.labels);
    let worst = 0;
    a.scores.forEach((s, i) => (worst = Math.max(worst, Math.abs(s - b.scores[i]!))));
    assert.ok(worst < 1e-5, `largest score difference ${worst}`);
    const tables = async (d: string): Promise<string[]> =>
      (onnx.ModelProto.decode(await readFile(path.join(d, 'onnx/model.onnx'))).graph?.initializer ?? [])
        .map((t) => t.name ?? '')
        .filter((n) => !n.startsWith('c_'));
    assert.deepEqual(await tables(legacy), ['canon', 'feat_table', 'embeddings', 'weights', 'bias']);
    assert.deepEqual(await tables(converted.dir), ['canon', 'unigram', 'unigram_count', 'pairs', 'bias']);
    for (const rel of ['tokenizer.json', 'tokenizer_config.json', 'combination.json'])
      assert.deepEqual(
        await readFile(path.join(converted.dir, rel)),
        await readFile(path.join(legacy, rel)),
        rel,
      );
    const newConfig = JSON.parse(await readFile(path.join(converted.dir, 'config.json'), 'utf8')) as {
      voc_classifier: { graph: string; converted_from: string };
    };
    assert.equal(newConfig.voc_classifier.graph, GRAPH_FORMAT);
    assert.equal(newConfig.voc_classifier.converted_from, before.version);
    await assert.rejects(convertModelDir(converted.dir, path.join(dir, 'again')), /already in the/);
  });
});
