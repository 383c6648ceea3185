import assert from 'node:assert/strict';
import { tokenizerFor } from '../../../pipelines/classifier/fasttext/build.js';
import { buildVocabulary } from '../../../pipelines/classifier/fasttext/tokenizer-json.js';

describe('classifier tokenizer (WordPiece over jieba words, through transformers.js)', () => {
  const vocab = buildVocabulary(['年费', '太贵', '信用卡', 'app']);
  const encode = tokenizerFor(vocab, 16);
  const tokens = (text: string): string[] => encode(text).map((id) => vocab[id] ?? '?');

  it('keeps known jieba words whole and wraps the text in [CLS] … [SEP]', () => {
    assert.deepEqual(tokens('年费 太贵 了'), ['[CLS]', '年费', '太贵', '了', '[SEP]']);
  });

  it('splits an unknown word into the longest known pieces', () => {
    assert.deepEqual(tokens('年费太贵了'), ['[CLS]', '年费', '##太贵', '##了', '[SEP]']);
  });

  it('isolates punctuation and normalises full-width and case', () => {
    assert.deepEqual(tokens('ＡＰＰ，信用卡'), ['[CLS]', 'app', ',', '信用卡', '[SEP]']);
  });

  it('maps a character outside the vocabulary to [UNK] for its word only', () => {
    assert.deepEqual(tokens('😀 年费'), ['[CLS]', '[UNK]', '年费', '[SEP]']);
  });

  it('truncates to the maximum length', () => {
    assert.equal(encode(Array.from({ length: 40 }, () => '年费').join(' ')).length, 16);
  });
});
