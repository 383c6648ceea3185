import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalise, normaliseTerm, toOriginalSpan } from '../../../../src/pipeline/normalise/normalise.js';
import { parseChineseInteger } from '../../../../src/pipeline/normalise/numerals.js';

const text = (s: string): string => normalise(s).text;

describe('normalise', () => {
  it('converts Traditional to Simplified (HK and TW text) without moving offsets', () => {
    assert.equal(text('我的帳戶被凍結了'), '我的账户被冻结了');
    assert.equal(text('滙豐銀行的信用卡年費'), '汇丰银行的信用卡年费');
    assert.equal(text('軟體很難用'), '软件很难用');
    assert.equal(normalise('我的帳戶被凍結了').starts, null, 'one to one: no offset map needed');
  });

  it('folds full-width characters and case', () => {
    assert.equal(text('ＡＰＰ轉賬１２３元！'), 'app转账123元!');
  });

  it('drops ASR fillers where they are fillers, and keeps the same words where they are words', () => {
    assert.equal(text('嗯那个我想问一下就是你们的大额存单'), '我想问一下就是你们的大额存单');
    assert.equal(text('就是说你们的年费太贵了'), '你们的年费太贵了');
    assert.equal(text('问题就是年费太贵'), '问题就是年费太贵');
    assert.equal(text('我想查一下余额'), '我想查一下余额');
    assert.equal(text('额度太低了'), '额度太低了');
    assert.equal(text('呃额这个'), '这个');
  });

  it('reads Cantonese 唔 before a verb as 不, and drops it as a filler elsewhere', () => {
    assert.equal(text('我唔要信用卡'), '我不要信用卡');
    assert.equal(text('唔使喇 唔該'), '不使喇 不该');
    assert.equal(text('唔 我想问下'), ' 我想问下');
  });

  it('collapses stutters but keeps words doubled on purpose', () => {
    assert.equal(text('我我我想办信用卡'), '我想办信用卡');
    assert.equal(text('我我想办'), '我想办');
    assert.equal(text('我想我想办一下'), '我想办一下');
    assert.equal(text('谢谢谢谢'), '谢谢');
    assert.equal(text('看看'), '看看');
  });

  it('turns Chinese numerals into digits where they are numbers', () => {
    assert.equal(text('我要打幺二三七八投诉'), '我要打12378投诉');
    assert.equal(text('存了三千五块'), '存了3500块');
    assert.equal(text('二十万'), '200000');
    assert.equal(text('想存二十万一年期的'), '想存200000一年期的');
    assert.equal(text('等一下子'), '等一下子');
    assert.equal(text('十分不满'), '十分不满');
    assert.equal(text('两三万'), '两三万');
    assert.equal(text('万一被盗刷'), '万一被盗刷');
    assert.equal(parseChineseInteger('一百零五'), 105);
  });

  it('maps spans of the normalised text back to the original text', () => {
    const original = '嗯嗯那个招航的利率高';
    const n = normalise(original);
    const at = n.text.indexOf('招航');
    const span = toOriginalSpan(n, at, at + 2);
    assert.equal(original.slice(span.start, span.end), '招航');
    const digits = normalise('打幺二三七八投诉');
    const d = digits.text.indexOf('12378');
    const back = toOriginalSpan(digits, d, d + 5);
    assert.equal('打幺二三七八投诉'.slice(back.start, back.end), '幺二三七八');
  });

  it('normalises taxonomy terms like text but never cuts them down', () => {
    assert.equal(normaliseTerm('我那个'), '我那个');
    assert.equal(normaliseTerm('分十二期'), '分12期');
    assert.equal(normaliseTerm('帳戶'), '账户');
  });

  it('property: every normalised character maps into the original, in order', () => {
    const alphabet = fc.constantFrom(
      ...'嗯呃那个就是说我想要办信用卡一二三十百万两幺年期帳戶，。！ ＡaＢ1额度余'.split(''),
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (chars) => {
        const original = chars.join('');
        const n = normalise(original);
        let previous = 0;
        for (let i = 0; i < n.text.length; i++) {
          const { start, end } = toOriginalSpan(n, i, i + 1);
          assert.ok(
            start >= previous && start < end && end <= original.length,
            `span ${start}-${end} of ${i} in "${original}"`,
          );
          previous = start;
        }
        assert.ok(n.text.length <= original.length * 9);
      }),
      { numRuns: 300 },
    );
  });
});
