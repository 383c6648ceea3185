import assert from 'node:assert/strict';
import fc from 'fast-check';
import { containsPii, redactText } from '../../../../src/pipeline/redact/index.js';

const CN = '零一二三四五六七八九';

/** 一万三千八百 style: a Chinese number with units, which is an amount, never a digit string. */
function chineseWithUnits(n: number): string {
  if (n === 0) return '零';
  const units = ['', '十', '百', '千'];
  const section = (v: number): string => {
    let s = '';
    let zero = false;
    for (let i = 3; i >= 0; i--) {
      const d = Math.floor(v / 10 ** i) % 10;
      if (d === 0) {
        zero = s !== '';
        continue;
      }
      s += (zero ? '零' : '') + CN[d]! + units[i]!;
      zero = false;
    }
    return s;
  };
  const high = Math.floor(n / 10000);
  const low = n % 10000;
  return (high ? `${section(high)}万` : '') + (low ? (high && low < 1000 ? '零' : '') + section(low) : '');
}

const pad = (n: number): string => String(n).padStart(2, '0');
const date = fc.date({ min: new Date('1990-01-01'), max: new Date('2035-12-31'), noInvalidDate: true });

// Service numbers anyone may see, several side by side: bank hotlines, 12xxx, carriers, 400/800.
const serviceNumber = fc.oneof(
  fc.integer({ min: 95000, max: 96999 }).map(String),
  fc.integer({ min: 12000, max: 12999 }).map(String),
  fc.integer({ min: 10000, max: 10099 }).map(String),
  fc.tuple(fc.constantFrom('400', '800'), fc.integer({ min: 0, max: 9_999_999 })).chain(([p, n]) => {
    const d = p + String(n).padStart(7, '0');
    return fc.constantFrom(
      d,
      `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`,
      `${d.slice(0, 4)}-${d.slice(4, 7)}-${d.slice(7)}`,
      `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`,
    );
  }),
);
const serviceNumbers = fc
  .tuple(
    fc.array(serviceNumber, { minLength: 2, maxLength: 4 }),
    fc.constantFrom('、', ' ', '，', '/', ' 或 '),
  )
  .map(([numbers, sep]) => `热线${numbers.join(sep)}`);

// Everything a bank conversation is full of that is not personal data.
const harmless = fc.oneof(
  serviceNumbers,
  fc
    .integer({ min: 1, max: 9_999_999 })
    .chain((n) => fc.constantFrom(`${n}元`, `${n}块`, `${n}块钱`, `${n.toLocaleString('en-US')}元`)),
  fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `${a}.${b}%`),
  date.map((d) => `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`),
  date.map((d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`),
  date.map((d) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`),
  date.map((d) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`),
  fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .chain(([h, m]) => fc.constantFrom(`${h}点${m}分`, `${h}:${pad(m)}`, `${CN[h % 10]}点半`)),
  fc.integer({ min: 1, max: 99_999_999 }).map((n) => `${chineseWithUnits(n)}元`),
  fc.integer({ min: 1, max: 36 }).chain((n) => fc.constantFrom(`${n}期`, `第${n}期`, `${n}个月`, `分${n}期`)),
  fc.integer({ min: 0, max: 9999 }).map((n) => `尾号${String(n).padStart(4, '0')}`),
  fc.integer({ min: 0, max: 9_999_999_999 }).map((n) => `订单号${n}`),
  fc.constantFrom(
    '年化百分之二点八',
    '第三期',
    '两三天',
    '一百三十八元',
    '一万二千块',
    '三五天',
    '七八个人',
    '一两千',
  ),
);
const connector = fc.constantFrom(
  '我',
  '然后我',
  '的时候',
  '之后',
  '我看到',
  '要还',
  '麻烦问下',
  '，我',
  '。我',
);

describe('redaction leaves ordinary numbers alone', () => {
  it('amounts, rates, dates, times, counts, tails and short order numbers come back unchanged', () => {
    const utterance = fc
      .array(fc.tuple(harmless, connector), { minLength: 1, maxLength: 6 })
      .map((parts) => parts.map(([h, c]) => h + c).join(''));
    fc.assert(
      fc.property(utterance, (text) => {
        const out = redactText(text);
        assert.equal(out.text, text);
        assert.deepEqual(out.found, []);
        assert.equal(containsPii(text), false);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps the examples of the brief as they are, even side by side', () => {
    const text =
      '5000元 3.5% 2026年11月1日 2026-11-01 10点30分 一万二千块 年化百分之二点八 第三期 两三天 12期分期 ' +
      '6个月 一百三十八元 尾号1234 20261101 订单1234567890 一万三千八百';
    assert.equal(redactText(text).text, text);
  });

  it('keeps dates next to each other and a conversation id built from a date', () => {
    for (const text of [
      '2026-11-01 2026-12-01',
      '20261101 20261201',
      'c-20261101-0001',
      '2026.11.01-2026.12.31',
      '20261101103000',
    ]) {
      assert.equal(redactText(text).text, text, text);
    }
  });
});
