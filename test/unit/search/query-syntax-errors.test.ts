import assert from 'node:assert/strict';
import { ValidationError } from '../../../src/errors.js';
import { MAX_NEAR, parseQuery } from '../../../src/search/query-parser.js';
import { printQuery } from '../../../src/search/query-printer.js';

const segment = (t: string): string[] => [t];

function errorOf(q: string): { reason?: string; position?: number } {
  try {
    parseQuery(q, segment);
  } catch (err) {
    assert.ok(err instanceof ValidationError);
    const detail = err.details[0];
    assert.equal(detail?.where, 'q');
    return { reason: detail?.reason, position: detail?.position };
  }
  assert.fail(`no error for ${q}`);
}

describe('query syntax errors', () => {
  it('name the problem with a stable reason and the character offset', () => {
    assert.deepEqual(errorOf('(年费 OR 手续费'), { reason: 'missing_close', position: 10 });
    assert.deepEqual(errorOf('年费 "太贵'), { reason: 'unclosed_quote', position: 3 });
    assert.deepEqual(errorOf('年费 )'), { reason: 'unexpected_close', position: 3 });
    assert.deepEqual(errorOf('年费 OR'), { reason: 'operator_needs_word', position: 5 });
    assert.deepEqual(errorOf('年费 NEAR/5'), { reason: 'near_needs_words', position: 9 });
    assert.deepEqual(errorOf('speaker:boss 年费'), { reason: 'unknown_speaker', position: 0 });
  });

  it('keep NEAR pairs apart from the words matched anywhere', () => {
    const parsed = parseQuery('额度 OR 手续费 NEAR/3 高 -免', segment);
    assert.deepEqual(parsed.words, ['额度']);
    assert.deepEqual(parsed.near, [{ left: '手续费', right: '高', distance: 3 }]);
    assert.deepEqual(parsed.highlight, ['额度', '手续费', '高']);
  });

  it('keep a NEAR distance longer than any utterance as the longest one, which prints back to itself', () => {
    const parsed = parseQuery('a NEAR/999999999999999999990 b', segment);
    assert.deepEqual(parsed.near, [{ left: 'a', right: 'b', distance: MAX_NEAR }]);
    const printed = printQuery(parsed.text, parsed.scope);
    assert.deepEqual(parseQuery(printed, segment).text, parsed.text, printed);
  });
});
