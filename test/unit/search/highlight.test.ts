import assert from 'node:assert/strict';
import { highlightUtterances } from '../../../src/search/highlight.js';

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
