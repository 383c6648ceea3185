import assert from 'node:assert/strict';
import fc from 'fast-check';
import { containsPii, redactText } from '../../../../src/pipeline/redact/index.js';
import {
  anyPii,
  bankCard,
  gb11643Check,
  id15,
  id18,
  id18WithX,
  mobile,
  renderOptions,
  type Pii,
} from './pii-arbitraries.js';
import { readDigits, render } from './pii-render.js';

// ASR style: no punctuation, the number straight after the words that announce it.
const PREFIXES: Record<Pii['kind'], string[]> = {
  phone: [
    '我的手机号是',
    '你打我电话',
    '嗯我手机号码是',
    '联系方式',
    '我换号了新号是',
    '上个月还了5000元我手机',
  ],
  id_card: ['身份证号是', '我身份证号码', '证件号码', '我报一下身份证啊', '开户用的证件是'],
  bank_card: ['卡号是', '我那张卡的卡号', '尾号1234不对完整卡号是', '转到这张卡', '还款账户'],
};
const SUFFIXES = [
  '',
  '你记一下',
  '没错',
  '对吧',
  '麻烦帮我查一下',
  '是我本人的',
  '好的谢谢',
  '你再核对下',
  '号码没错',
];

/** Asserts that every digit but the last four of `pii`, written at `offset` in the input, became '*'. */
function assertHidden(
  redacted: string,
  pii: Pii,
  offset: number,
  spans: [number, number][],
  original?: string,
): void {
  const n = pii.digits.length;
  spans.forEach(([s, e], i) => {
    const got = redacted.slice(offset + s, offset + e);
    if (i < n - 4) assert.equal(got, '*'.repeat(e - s), `digit ${i} of ${pii.digits} visible: ${redacted}`);
    else if (original !== undefined)
      assert.equal(got, original.slice(offset + s, offset + e), 'last four kept as written');
  });
  // The digits left in the text never hold the number; those left where it was written never hold five
  // of its digits in a row (words around it are left out: 一下 reads as a 1).
  assert.ok(!readDigits(redacted).includes(pii.digits), `${pii.digits} shown in ${redacted}`);
  const first = offset + spans[0]![0];
  const where = redacted.slice(first, offset + spans[spans.length - 1]![1]);
  for (const piece of where.split('*')) {
    const shown = readDigits(piece);
    for (let i = 0; i + 5 <= n; i++) {
      assert.ok(
        !shown.includes(pii.digits.slice(i, i + 5)),
        `${pii.digits.slice(i, i + 5)} shown in ${redacted}`,
      );
    }
  }
}

/** An 18-digit card whose last digit is also a GB 11643 checksum may be a valid ID as well: either is right. */
const acceptedKinds = (pii: Pii): Pii['kind'][] =>
  pii.kind === 'bank_card' &&
  pii.digits.length === 18 &&
  gb11643Check(pii.digits.slice(0, 17)) === pii.digits[17]
    ? ['bank_card', 'id_card']
    : [pii.kind];

function checkAlone(pii: Pii, o: Parameters<typeof render>[1]): void {
  const r = render(pii, o);
  const out = redactText(r.text);
  assert.equal(out.text.length, r.text.length);
  assertHidden(out.text, pii, 0, r.digitSpans, r.text);
  assert.ok(
    acceptedKinds(pii).some((k) => out.found.includes(k)),
    `${pii.kind} not reported for ${r.text}: ${out.found.join()}`,
  );
}

describe('redaction properties: generated numbers never survive', () => {
  const runs = { numRuns: 300 };
  for (const [name, arb] of [
    ['mobile numbers (every prefix 13x-19x, with +86/86/0086)', mobile],
    ['18-digit IDs with a valid checksum', id18],
    ['18-digit IDs ending in X, 叉 or 艾克斯', id18WithX],
    ['legacy 15-digit IDs', id15],
    ['Luhn-valid cards (622, 621, 623, 625, 62, 4, 5; 16-19 digits)', bankCard],
  ] as const) {
    it(`${name}, in every rendering`, () => {
      fc.assert(fc.property(arb, renderOptions, checkAlone), runs);
    });
  }

  it('inside an ASR-style sentence: the number is masked and the words around it are untouched', () => {
    const sentence = fc.tuple(anyPii, renderOptions, fc.nat(), fc.constantFrom(...SUFFIXES));
    fc.assert(
      fc.property(sentence, ([pii, o, p, suffix]) => {
        const prefixes = PREFIXES[pii.kind];
        const prefix = prefixes[p % prefixes.length]!;
        const r = render(pii, o);
        const input = prefix + r.text + suffix;
        const out = redactText(input);
        assert.equal(out.text.slice(0, prefix.length), prefix);
        assert.equal(out.text.slice(prefix.length + r.text.length), suffix);
        assertHidden(out.text, pii, prefix.length, r.digitSpans, input);
        assert.ok(containsPii(input));
        assert.ok(!containsPii(out.text), `still flagged: ${out.text}`);
      }),
      { numRuns: 500 },
    );
  });

  it('several numbers in one utterance, joined by words, by a separator or filler, or by an amount', () => {
    // Amounts and dates between numbers with only a space around them: the planner must not shift a
    // number's boundaries onto its neighbours.
    const joiner = fc.constantFrom(
      ...['然后身份证是', '还有卡号', '我再说一下电话', ' ', '，', ' 嗯 ', '、', '对 '],
      ...[' 5000 ', ' 20261101 ', '，5000元', ' 一万二 '],
    );
    const part = fc.tuple(anyPii, renderOptions, joiner);
    fc.assert(
      fc.property(fc.array(part, { minLength: 2, maxLength: 4 }), (parts) => {
        let input = parts.length % 2 ? '我的信息是' : '转了12345 ';
        const placed = parts.map(([pii, o, join], i) => {
          const r = render(pii, o);
          const at = input.length;
          input += r.text + (i < parts.length - 1 ? join : '谢谢');
          return { pii, r, at };
        });
        const out = redactText(input);
        assert.equal(out.text.length, input.length);
        for (const { pii, r, at } of placed) assertHidden(out.text, pii, at, r.digitSpans);
        assert.ok(!containsPii(out.text), `still flagged: ${out.text}`);
      }),
      { numRuns: 300 },
    );
  });
});
