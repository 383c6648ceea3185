import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { customerTexts, readCorpus } from '../../../pipelines/classifier/corpus.js';
import { toClassifierText } from '../../../src/ml/classifier-input.js';
import { CLASSIFIER_LABELS, labelsOfExpected } from '../../../src/ml/classifier-labels.js';
import {
  buildFastTextModel,
  type BuildOptions,
  type BuiltModel,
} from '../../../pipelines/classifier/fasttext/build.js';
import { modelFiles, writeModelDir } from '../../../pipelines/classifier/fasttext/export-model-dir.js';
import { forward, sigmoid } from '../../../pipelines/classifier/fasttext/model.js';
import { loadTransformersClassifier } from '../../../src/ml/transformers-classifier.js';

/** Small and fast: the point is the graph, not accuracy. */
const OPTIONS: BuildOptions = {
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
  maxFeatures: 8,
  maxLength: 512,
};

const INPUTS = [
  ['你们的年费太贵了,乱扣费,我要投诉到银保监会'],
  ['您好'],
  [''],
  ['我想咨询一下大额存单现在利率多少', '如果利率高的话我可能会考虑买点理财'],
  ['我們下個月結婚,想辦一張信用卡'],
  ['ＡＰＰ登不上 一直闪退 闪退 闪退'],
  ['嗯那个就是我不需要贷款谢谢'],
];

async function trainOnFixture(opts: BuildOptions): Promise<BuiltModel> {
  const records = await readCorpus('test/fixtures/classifier/train.jsonl');
  const train = records.map((r) => ({
    text: toClassifierText(customerTexts(r.conversation)),
    labels: labelsOfExpected(r.expected),
  }));
  return buildFastTextModel(train, CLASSIFIER_LABELS, opts);
}

describe('fastText ONNX export', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'voc-onnx-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const pooling of ['sqrt', 'mean', 'sum'] as const) {
    it(`scores through transformers.js exactly as the TypeScript forward pass (${pooling} pooling)`, async () => {
      // Unnormalised sums need a smaller step.
      const learningRate = pooling === 'sum' ? 0.02 : OPTIONS.learningRate;
      const model = await trainOnFixture({ ...OPTIONS, pooling, learningRate });
      const modelDir = path.join(dir, pooling);
      await writeModelDir(modelDir, modelFiles(model.params, model.vocab, { maxLength: OPTIONS.maxLength }));
      const classifier = await loadTransformersClassifier(modelDir);
      const texts = INPUTS.map((utterances) => toClassifierText(utterances));
      // One batch: texts of different lengths are padded, so the mask handling is exercised too.
      const scores = await classifier.classify(texts);
      assert.equal(scores.length, texts.length);
      let checked = 0;
      texts.forEach((text, i) => {
        const expected = forward(model.params, model.encode(text));
        const row = scores[i] ?? [];
        assert.equal(row.length, CLASSIFIER_LABELS.length);
        for (const { label, score } of row) {
          const want = sigmoid(expected[CLASSIFIER_LABELS.indexOf(label)] ?? Number.NaN);
          assert.ok(Math.abs(score - want) < 1e-4, `${label} on "${text}": onnx ${score}, ts ${want}`);
          checked++;
        }
      });
      assert.equal(checked, texts.length * CLASSIFIER_LABELS.length);
    });
  }

  it('is deterministic: the same data and seed give byte-identical files', async () => {
    const a = await trainOnFixture(OPTIONS);
    const b = await trainOnFixture(OPTIONS);
    const fa = modelFiles(a.params, a.vocab, { maxLength: 512 });
    const fb = modelFiles(b.params, b.vocab, { maxLength: 512 });
    for (const [rel, data] of fa) assert.deepEqual(fb.get(rel), data, rel);
    const c = await trainOnFixture({ ...OPTIONS, seed: 8 });
    const fc = modelFiles(c.params, c.vocab, { maxLength: 512 });
    assert.notDeepEqual(fc.get('onnx/model.onnx'), fa.get('onnx/model.onnx'));
  });
});
