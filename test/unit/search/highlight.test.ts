import assert from 'node:assert/strict';
import { highlightQuery, highlightUtterances } from '../../../src/search/highlight.js';
import { parseQuery } from '../../../src/search/query-parser.js';

describe('highlightUtterances', () => {
  const utterances = [
    { speaker: 'agent' as const, text: '您好请问有什么可以帮您' },
    { speaker: 'customer' as const, text: '你们的年费太贵了，年费能免吗' },
    { speaker: 'customer' as const, text: 'Visa卡的visa年费' },
  ];

  it('returns spans of every occurrence in the original text, merged and ordered', () => {
    const result = highlightUtterances(utterances, ['年费', '贵']);
    assert.deepEqual(result[0], {
      utterance: 1,
      speaker: 'customer',
      text: '你们的年费太贵了，年费能免吗',
      spans: [
        [3, 5],
        [6, 7],
        [9, 11],
      ],
    });
  });

  it('matches Latin tokens case-insensitively and skips utterances without a match', () => {
    const result = highlightUtterances(utterances, ['VISA']);
    assert.equal(result.length, 1);
    assert.deepEqual(result[0]?.spans, [
      [0, 4],
      [6, 10],
    ]);
  });

  it('returns nothing for an empty query', () => {
    assert.deepEqual(highlightUtterances(utterances, [' ', '']), []);
  });
});

describe('highlightQuery', () => {
  const segment = (t: string): string[] => [t];
  const utterances = [
    { speaker: 'customer' as const, text: '這張卡的年費太貴了' },
    { speaker: 'customer' as const, text: '手续费也很高' },
    { speaker: 'agent' as const, text: '手续费标准是统一的,额度可以提高' },
  ];

  it('marks a Simplified query word where the transcript has Traditional characters', () => {
    const result = highlightQuery(utterances, parseQuery('年费', segment));
    assert.deepEqual(
      result.map((h) => [h.utterance, h.spans]),
      [[0, [[4, 6]]]],
    );
  });

  it('marks a NEAR pair only where both sides are within the distance in one utterance', () => {
    const result = highlightQuery(utterances, parseQuery('手续费 NEAR/3 高', segment));
    assert.deepEqual(
      result.map((h) => [h.utterance, h.spans]),
      [
        [
          1,
          [
            [0, 3],
            [5, 6],
          ],
        ],
      ],
    );
  });

  it('keeps plain words beside a NEAR pair', () => {
    const result = highlightQuery(utterances, parseQuery('额度 OR (手续费 NEAR/3 高)', segment));
    assert.deepEqual(
      result.map((h) => h.utterance),
      [1, 2],
    );
    assert.deepEqual(result[1]?.spans, [[10, 12]]);
  });
});
