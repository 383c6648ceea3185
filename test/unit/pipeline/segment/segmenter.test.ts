import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDictionary } from '../../../../src/pipeline/segment/dictionary.js';
import { createSegmenter, isBlankToken } from '../../../../src/pipeline/segment/segmenter.js';
import { DEFAULT_MODELS_DIR } from '../../../../src/pipeline/run-pipeline.js';

const segmenter = createSegmenter(join(DEFAULT_MODELS_DIR, 'dictionaries'));
const words = (text: string): string[] => segmenter.segment(text).words;

describe('segmenter', () => {
  it('keeps bank, fintech and product names of the domain dictionary whole in real sentences', () => {
    // jieba's own dictionary cuts these: 大额|存单, 掌上|生活, 账单|分期, 个人|养老金
    assert.deepEqual(words('我想买大额存单'), ['我', '想', '买', '大额存单']);
    assert.ok(words('招行的掌上生活比你们好用').includes('掌上生活'));
    assert.ok(words('这期我想办理账单分期').includes('账单分期'));
    assert.ok(words('我想开个人养老金账户').includes('个人养老金账户'));
    assert.ok(words('个人养老金怎么交').includes('个人养老金'));
    assert.ok(words('房贷能不能提前还款').includes('提前还款'));
    assert.ok(words('你们的信用卡年费太贵了').includes('信用卡年费'));
    assert.ok(words('我要去银保监会投诉').includes('银保监会'));
    assert.ok(words('我会发抖音让大家看看').includes('抖音'), 'not 发抖|音');
  });

  it('still separates ordinary words that contain a bank abbreviation', () => {
    assert.deepEqual(words('集中行动'), ['集中', '行动']);
    assert.deepEqual(words('施工行业'), ['施工', '行业']);
  });

  it('reports word offsets that line up with the text', () => {
    const text = '我在宁波银行存了app里的钱, ok';
    const { words: ws, starts } = segmenter.segment(text);
    ws.forEach((w, i) => assert.equal(text.slice(starts[i], (starts[i] ?? 0) + w.length), w));
    assert.ok(ws.includes('app'), 'Latin runs stay whole (HMM on)');
  });

  it('tells punctuation and whitespace tokens apart', () => {
    assert.ok(isBlankToken('，') && isBlankToken(' ') && isBlankToken('!!'));
    assert.ok(!isBlankToken('年费') && !isBlankToken('app') && !isBlankToken('12378'));
  });

  it('reload: added words apply at once, removed words are reported as needing a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'voc-dict-'));
    try {
      writeFileSync(join(dir, 'a.dict'), '# test words\n安泰薪金宝\n');
      const local = createSegmenter(dir);
      assert.ok(local.segment('我买了安泰薪金宝').words.includes('安泰薪金宝'));
      assert.ok(!local.segment('我想开通朝夕盈宝产品').words.includes('朝夕盈宝'));
      const before = local.version;
      writeFileSync(join(dir, 'a.dict'), '朝夕盈宝 20000 nz\n');
      const report = local.reload();
      assert.notEqual(report.version, before);
      assert.deepEqual(report.added, ['朝夕盈宝']);
      assert.ok(report.removedNeedRestart.includes('安泰薪金宝'));
      assert.ok(local.segment('我想开通朝夕盈宝产品').words.includes('朝夕盈宝'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the file and line of a malformed dictionary entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'voc-dict-'));
    try {
      writeFileSync(join(dir, 'bad.dict'), '大额存单\n定期存款 lots nz\n');
      assert.throws(() => readDictionary(dir), /bad\.dict:2: expected "word \[freq\] \[tag\]"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
