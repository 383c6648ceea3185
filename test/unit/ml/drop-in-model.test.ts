import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTransformersClassifier } from '../../../src/ml/transformers-classifier.js';
import { writeBertShapedModel } from './bert-shaped-model.js';

describe('a dropped-in model directory (BERT-shaped, single-label)', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'voc-drop-in-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('loads through the same code path and gives softmax scores over its own labels', async () => {
    const dir = path.join(root, 'bert-sentiment');
    await writeBertShapedModel(dir);
    const classifier = await loadTransformersClassifier(dir);
    assert.match(classifier.version, /^[0-9a-f]{12}$/);
    const [good, bad, spaced] = await classifier.classify(['这个很好', '太差了', '这个 很 好']);
    const score = (row: typeof good, label: string): number =>
      row?.find((s) => s.label === label)?.score ?? NaN;
    assert.ok(score(good, 'positive') > 0.9, JSON.stringify(good));
    assert.ok(score(bad, 'negative') > 0.9, JSON.stringify(bad));
    for (const row of [good, bad]) {
      assert.equal(row?.length, 2);
      assert.ok(Math.abs((row ?? []).reduce((s, x) => s + x.score, 0) - 1) < 1e-6, 'softmax sums to 1');
    }
    // A character-level BERT ignores the spaces of pre-segmented input.
    assert.ok(Math.abs(score(spaced, 'positive') - score(good, 'positive')) < 1e-6);
    // texts given as words score as the joined texts (this tokenizer reads characters: joined)
    const words = [
      ['这个', '很好'],
      ['太差', '了'],
    ];
    assert.deepEqual(
      await classifier.scoreWordTable?.(words),
      await classifier.scoreTable(words.map((w) => w.join(' '))),
    );
  });

  it('loads two model directories side by side', async () => {
    const a = path.join(root, 'one', 'model');
    const b = path.join(root, 'two', 'model');
    await Promise.all([writeBertShapedModel(a), writeBertShapedModel(b)]);
    const [ca, cb] = await Promise.all([loadTransformersClassifier(a), loadTransformersClassifier(b)]);
    assert.equal(ca.version, cb.version);
    assert.deepEqual(await ca.classify(['很好']), await cb.classify(['很好']));
  });
});
