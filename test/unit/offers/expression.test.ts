import assert from 'node:assert/strict';
import {
  evaluate,
  ExpressionError,
  parseExpression,
  type ExprContext,
} from '../../../src/offers/expression.js';

const ctx = (tags: string[], live: string[] = [], channel = 'call'): ExprContext => ({
  tags: new Set([...tags, ...live]),
  live: new Set(live),
  channel,
  marketingConsent: false,
});

describe('offer expressions', () => {
  it('evaluates has, live, not, and, or, parentheses and wildcards', () => {
    const e = parseExpression('(has(need.deposit) or has(competitor.*.rate)) and not has(complaint.open)');
    assert.equal(evaluate(e, ctx(['competitor.cmb.rate'])), true);
    assert.equal(evaluate(e, ctx(['need.deposit', 'complaint.open'])), false);
    assert.equal(evaluate(e, ctx(['competitor.cmb'])), false, 'a wildcard matches one segment, not fewer');
    assert.equal(evaluate(parseExpression('live(complaint.fees)'), ctx(['complaint.fees'])), false);
    assert.equal(evaluate(parseExpression('live(complaint.fees)'), ctx([], ['complaint.fees'])), true);
    assert.equal(evaluate(parseExpression('channel(sms) or true'), ctx([])), true);
    assert.equal(evaluate(parseExpression('channel(sms)'), ctx([], [], 'call')), false);
  });

  it('collects the tags that made it true, but not those under a not', () => {
    const found: string[] = [];
    evaluate(
      parseExpression('has(competitor.*.rate) and not has(need.mortgage)'),
      ctx(['competitor.cmb.rate', 'competitor.icbc.rate']),
      found,
    );
    assert.deepEqual(found, ['competitor.cmb.rate', 'competitor.icbc.rate']);
  });

  it('names the position of a syntax error', () => {
    const cases: [string, RegExp][] = [
      ['has(need.deposit', /expected "\)"/],
      ['has(need.deposit) and', /expected has/],
      ['eval(process)', /expected has\(\.\.\.\)/],
      ['has(Need.Deposit)', /not a tag key/],
      ['consent(sms)', /knows only "marketing"/],
      ['has(need.deposit) has(need.mortgage)', /unexpected "has"/],
      ['', /empty expression/],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => parseExpression(text),
        (err: unknown) => err instanceof ExpressionError && message.test(err.message),
        text,
      );
    }
    assert.throws(
      () => parseExpression('has(need.deposit) xor'),
      (err: unknown) => (err as ExpressionError).position === 18,
    );
  });
});
