import assert from 'node:assert/strict';
import { ParseFormatError } from '../../../../src/ingest/formats/index.js';
import { lines, parseFixture, parseText } from './fixture.js';

const best = (rl: string, bg: number, words: string[]): string =>
  JSON.stringify({
    st: {
      bg: String(bg),
      ed: String(bg + 900),
      rl,
      rt: [{ ws: words.map((w) => ({ cw: [{ w, wp: 'n' }] })) }],
    },
  });
const order = (lattice: object[]): string =>
  JSON.stringify({
    content: { orderInfo: { orderId: 'o-1', status: 4 }, orderResult: JSON.stringify({ lattice }) },
  });

describe('iFlytek lfasr results', () => {
  it('unwraps orderResult and json_1best strings and joins the words', () => {
    const result = parseFixture('iflytek-lfasr.json');
    assert.equal(result.format, 'iflytek');
    assert.deepEqual(result.issues, []);
    const [c] = result.conversations;
    assert.equal(c?.id, 'DKHJQ2026110316051601820A4F00007C');
    assert.deepEqual(lines(result), [
      'agent: 您好，这里是信用卡中心，请问有什么可以帮您？',
      'customer: 我想办一张信用卡，之前用的是花呗。',
      'agent: 好的，我给您介绍一下我们的白金卡。',
      'customer: 年费多少？iPhone Apple Pay能绑吗？',
    ]);
    assert.deepEqual([c?.utterances[1]?.startMs, c?.utterances[1]?.endMs], [3900, 8800]);
  });

  it('maps roles explicitly when the caller knows that role 2 speaks first', () => {
    const text = order([
      { json_1best: best('2', 0, ['喂', '你好']) },
      { json_1best: best('1', 1000, ['您好']) },
    ]);
    const result = parseText(text, 'x.json', { speakers: { map: { '1': 'agent', '2': 'customer' } } });
    assert.deepEqual(lines(result), ['customer: 喂你好', 'agent: 您好']);
  });

  it('asks for role separation when every sentence has role 0', () => {
    const result = parseText(
      order([{ json_1best: best('0', 0, ['您好']) }, { json_1best: best('0', 1000, ['你好']) }]),
      'x.json',
    );
    assert.deepEqual(result.conversations, []);
    assert.deepEqual(result.issues, [
      {
        where: 'x.json',
        message:
          'no speaker labels, so agent and customer cannot be told apart: enable role separation (roleType) in the lfasr upload request so sentences carry st.rl',
      },
    ]);
  });

  it('reports a broken json_1best by its path', () => {
    const text = order([
      { json_1best: best('1', 0, ['您好']) },
      { json_1best: '{"st":' },
      { json_1best: JSON.stringify({ st: { rt: 'x' } }) },
      { json_1best: best('2', 2000, ['在']) },
    ]);
    const result = parseText(text, 'x.json');
    assert.deepEqual(lines(result), ['agent: 您好', 'customer: 在']);
    assert.equal(result.issues[0]?.where, 'x.json $.content.orderResult.lattice[1].json_1best');
    assert.match(result.issues[0]?.message ?? '', /^not valid JSON \(.+\): expected \{"st":\{…\}\}$/);
    assert.deepEqual(result.issues[1], {
      where: 'x.json $.content.orderResult.lattice[2].json_1best.st.rt',
      message: 'expected array, got "x"',
    });
  });

  it('reads the older v1 result with onebest sentences', () => {
    const data = JSON.stringify([
      { bg: '0', ed: '1200', onebest: '您好，请问有什么可以帮您', speaker: '1' },
      { bg: '1300', ed: '3000', onebest: '我想咨询一下大额存单', speaker: '2' },
    ]);
    const result = parseText(JSON.stringify({ data, err_no: 0, failed: null, ok: 0 }), 'v1.json');
    assert.equal(result.format, 'iflytek');
    assert.deepEqual(lines(result), ['agent: 您好，请问有什么可以帮您', 'customer: 我想咨询一下大额存单']);
  });

  it('refuses a failed order and a result without lattice', () => {
    const failed = JSON.stringify({ content: { orderInfo: { orderId: 'o', status: -1, failType: 3 } } });
    assert.throws(
      () => parseText(failed, 'x.json', { format: 'iflytek' }),
      (err: unknown) =>
        err instanceof ParseFormatError &&
        err.issues[0]?.message === 'the order failed (failType 3): expected status 4 (done)',
    );
    assert.throws(
      () =>
        parseText(JSON.stringify({ content: { orderResult: '{"lattice"' } }), 'x.json', {
          format: 'iflytek',
        }),
      (err: unknown) =>
        err instanceof ParseFormatError &&
        err.issues[0]?.where === 'x.json $.content.orderResult' &&
        /unparseable JSON text/.test(err.issues[0].message),
    );
  });
});
