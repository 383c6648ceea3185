import assert from 'node:assert/strict';
import {
  normaliseForClassifier,
  toClassifierText,
  type Segmenter,
} from '../../../src/ml/classifier-input.js';

/** One token per character: makes the joining visible independent of jieba's dictionary. */
const perChar: Segmenter = (text) => [...text];

describe('toClassifierText', () => {
  it('normalises Traditional to Simplified, full-width to half-width and case', () => {
    assert.equal(normaliseForClassifier('我們的年費太貴了'), '我们的年费太贵了');
    assert.equal(normaliseForClassifier('ＡＰＰ　登不上１２３'), 'app 登不上123');
  });

  it('joins tokens with single spaces and utterances with 。', () => {
    assert.equal(toClassifierText(['年费', '  ', '太贵'], perChar), '年 费 。 太 贵');
  });

  it('drops whitespace tokens and gives an empty string for no customer text', () => {
    assert.equal(toClassifierText(['a b'], perChar), 'a b');
    assert.equal(toClassifierText([], perChar), '');
    assert.equal(toClassifierText(['   '], perChar), '');
  });

  it('segments with jieba by default', () => {
    const text = toClassifierText(['我想办一张信用卡']);
    assert.ok(text.split(' ').includes('信用卡'), text);
  });
});
