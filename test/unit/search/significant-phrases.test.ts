import assert from 'node:assert/strict';
import type { ProcessedConversation } from '../../../src/domain/processed-conversation.js';
import { previousSpan } from '../../../src/search/search-service.js';
import { customerWords, risingPhrases, topPhrases } from '../../../src/search/significant-phrases.js';

/** A conversation whose customer says the given words (one utterance), the agent says 您好. */
function doc(id: string, ...words: string[]): ProcessedConversation {
  return {
    conversation: {
      id,
      channel: 'call',
      startedAt: '2026-10-01T10:00:00+08:00',
      utterances: [
        { speaker: 'agent', text: '您好' },
        { speaker: 'customer', text: words.join('') },
      ],
    },
    tokens: [['您好'], words],
  } as unknown as ProcessedConversation;
}
const many = (n: number, prefix: string, ...words: string[]) =>
  Array.from({ length: n }, (_, i) => doc(`${prefix}${i}`, ...words));

describe('significant phrases', () => {
  it('take topic words of the customer only: no stop words, single characters, numbers or masks', () => {
    const d = doc('x', '你们', '年费', '太', '贵', '138****5678', '2026', '销户');
    assert.deepEqual([...customerWords(d)].sort(), ['年费', '销户']);
  });

  it('rank words over-represented in the result against the period', () => {
    const result = [...many(8, 'r', '年费', '余额宝'), ...many(2, 's', '余额宝')];
    const background = [...result, ...many(30, 'b', '余额宝', '理财')];
    const top = topPhrases(result, background);
    assert.equal(top[0]?.phrase, '年费');
    assert.equal(top[0]?.count, 8);
    assert.ok(!top.some((t) => t.phrase === '余额宝'), 'as common in the result as in the period');
  });

  it('find words that rose against the previous period, significant by the reports rule', () => {
    const current = [...many(12, 'c', '销户'), ...many(28, 'd', '年费')];
    const previous = [...many(1, 'p', '销户'), ...many(39, 'q', '年费')];
    const rising = risingPhrases(current, previous);
    assert.equal(rising[0]?.phrase, '销户');
    assert.equal(rising[0]?.significant, true);
    assert.ok(!rising.some((r) => r.phrase === '年费'), '年费 fell');
  });

  it('compare a period with the span of the same length just before it', () => {
    assert.deepEqual(previousSpan('2026-10-11T00:00:00.000+08:00', '2026-10-20T23:59:59.999+08:00'), {
      from: '2026-09-30T16:00:00.000Z',
      to: '2026-10-10T15:59:59.999Z',
    });
    assert.equal(previousSpan(undefined, '2026-10-20'), undefined);
  });
});
