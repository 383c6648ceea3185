import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { env } from '@xenova/transformers';
import { AnalysisService } from '../../../src/analysis/analysis-service.js';
import { loadCombinationPolicy } from '../../../src/analysis/combination-policy.js';
import { loadAnalysisModelDir } from '../../../src/analysis/load-classifier.js';
import { modelInputs } from '../../../src/analysis/model-inputs.js';
import type { LabelScore, TextClassifier } from '../../../src/ml/classifier.js';
import { UTTERANCE_MODEL_LABELS } from '../../../src/ml/classifier-labels.js';
import { createPipeline } from '../../../src/pipeline/run-pipeline.js';
import { classifierDirFromManifest, readManifest } from '../../../src/ml/manifest.js';
import { loadTransformersClassifier } from '../../../src/ml/transformers-classifier.js';

/**
 * The utterance model `npm run train` committed, run through transformers.js with remote models
 * disabled, on inputs built the way the service builds them (pipeline tokens, model-inputs.ts).
 */
describe('the trained classifier (models/manifest.json → models/classifier/<version>)', function () {
  this.timeout(30_000);
  let classifier: TextClassifier;
  let dir: string;
  const pipeline = createPipeline({ homeInstitution: { id: 'home', names: ['安泰银行', '安泰'] } });
  const score = (row: LabelScore[] | undefined, label: string): number =>
    row?.find((s) => s.label === label)?.score ?? Number.NaN;
  /** Each argument is one customer utterance; returns its scores. */
  const classify = async (...utterances: string[]): Promise<LabelScore[][]> => {
    const texts = utterances.map((text) => {
      const conversation = {
        id: 't',
        channel: 'chat' as const,
        startedAt: '2026-11-01T10:00:00+08:00',
        utterances: [{ speaker: 'customer' as const, text }],
      };
      return modelInputs(conversation, pipeline.process(conversation).tokens).utterances[0]?.text ?? '';
    });
    return classifier.classify(texts);
  };

  before(async () => {
    dir = await classifierDirFromManifest('models');
    classifier = await loadTransformersClassifier(dir);
  });

  it('ships its combination policy, which the service accepts', async () => {
    const policy = await loadCombinationPolicy(dir);
    assert.notEqual(policy.version, 'conservative', 'combination.json was tuned on the blind dev split');
  });

  it('loads from the local directory only, at the version the manifest records', async () => {
    assert.equal(env.allowRemoteModels, false);
    const entry = (await readManifest('models/manifest.json')).models.find((m) => m.name === 'classifier');
    assert.equal(classifier.version, entry?.version);
    assert.equal(path.basename(dir), classifier.version);
    const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8')) as {
      problem_type: string;
      id2label: Record<string, string>;
    };
    assert.equal(config.problem_type, 'multi_label_classification');
    assert.deepEqual(Object.values(config.id2label), UTTERANCE_MODEL_LABELS);
  });

  it('scores texts given as words exactly as the joined texts', async () => {
    const words = [
      ['年费', '太贵', '了'],
      ['我', '想', '办', '信用卡', '。', '谢谢'],
      ['ok 1', '。'],
    ];
    const table = await classifier.scoreWordTable?.(words);
    assert.ok(table, 'the shipped model reads words');
    assert.deepEqual(table, await classifier.scoreTable(words.map((w) => w.join(' '))));
  });

  it('scores a clear fee complaint as a complaint about fees', async () => {
    const [fees] = await classify('你们这个年费太贵了,还乱扣我手续费,太不合理了');
    assert.ok(score(fees, 'complaint') > 0.5, JSON.stringify(fees?.slice(0, 3)));
    assert.ok(score(fees, 'complaint:fees') > 0.5, JSON.stringify(fees?.slice(0, 3)));
  });

  it('adds nothing to a greeting or a pure service question once combined with the rules', async () => {
    const service = new AnalysisService(pipeline, await loadAnalysisModelDir(dir));
    for (const text of ['您好,我想问一下', '我的账单日是几号', '好的谢谢']) {
      const { analysis } = await service.analyse({
        id: 't',
        channel: 'chat',
        startedAt: '2026-11-01T10:00:00+08:00',
        utterances: [{ speaker: 'customer', text }],
      });
      assert.deepEqual(
        [
          analysis.complaint.is,
          analysis.needs,
          analysis.declinedNeeds,
          analysis.lifeEvents,
          analysis.competitors,
        ],
        [false, [], [], [], []],
        text,
      );
    }
  });

  it('scores needs, life events and Traditional Chinese input sensibly', async () => {
    const [card, marriage, traditional] = await classify(
      '我想办一张信用卡',
      '我下个月结婚',
      '你們的年費太貴了,亂扣費',
    );
    assert.ok(score(card, 'need:credit_card_new') > 0.5, JSON.stringify(card?.slice(0, 3)));
    assert.ok(score(card, 'complaint') < 0.5);
    assert.ok(score(marriage, 'lifeEvent:marriage') > 0.5, JSON.stringify(marriage?.slice(0, 3)));
    assert.ok(score(traditional, 'complaint') > 0.5, JSON.stringify(traditional?.slice(0, 3)));
  });

  it('returns every label once per text, sorted by score, scores in 0..1', async () => {
    const rows = await classify('我的卡被盗刷了', '', '好的谢谢');
    assert.equal(rows.length, 3);
    for (const row of rows) {
      assert.deepEqual(row.map((s) => s.label).sort(), [...UTTERANCE_MODEL_LABELS].sort());
      for (let i = 1; i < row.length; i++) assert.ok((row[i - 1]?.score ?? 0) >= (row[i]?.score ?? 0));
      for (const s of row) assert.ok(s.score >= 0 && s.score <= 1);
    }
    assert.deepEqual(await classifier.classify([]), []);
  });

  it('gives the same scores alone and in a padded batch', async () => {
    const texts = ['我的卡被盗刷了', '大额存单现在利率多少,我想存一笔定期,如果利率合适的话也可以买点理财'];
    const batch = await classify(...texts);
    for (const [i, t] of texts.entries()) {
      const [alone] = await classify(t);
      for (const s of alone ?? []) assert.ok(Math.abs(s.score - score(batch[i], s.label)) < 1e-5);
    }
  });
});
