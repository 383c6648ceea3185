/**
 * fast-check generators of valid personal numbers and of the ways customers and ASR write them.
 * Deliberately independent of src/pipeline/redact: its own checksum code and digit tables.
 */
import fc from 'fast-check';

export type Kind = 'phone' | 'id_card' | 'bank_card';

export interface Pii {
  kind: Kind;
  /** The number itself (a mobile without country code); an ID may end with X. */
  digits: string;
}

// Real county-level codes across provinces, plus the HK/Macau/Taiwan residence-permit codes.
const REGIONS =
  '110101 110105 110108 120101 130102 130602 140105 150102 210102 220102 230103 310101 310115 320102 320583 330106 330212 340104 350203 360102 370202 410105 420106 430104 440103 440305 440106 450103 460105 500103 510104 520102 530102 540102 610113 620102 630102 640104 650102 810000 820000 830000'.split(
    ' ',
  );
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

export function gb11643Check(first17: string): string {
  const sum = [...first17].reduce((acc, ch, i) => acc + Number(ch) * WEIGHTS[i]!, 0);
  return '10X98765432'[sum % 11]!;
}

export function luhnCheckDigit(body: string): string {
  let sum = 0;
  // The check digit will be appended, so the rightmost body digit is doubled.
  [...body].reverse().forEach((ch, i) => {
    const d = Number(ch) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  return String((10 - (sum % 10)) % 10);
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const ymd = (d: Date): string =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
const birthDate = (min: string, max: string): fc.Arbitrary<Date> =>
  fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true });

export const id18: fc.Arbitrary<Pii> = fc
  .record({
    region: fc.constantFrom(...REGIONS),
    birth: birthDate('1930-01-01', '2025-12-31'),
    seq: fc.nat(999),
  })
  .map(({ region, birth, seq }) => {
    const first17 = `${region}${ymd(birth)}${pad(seq, 3)}`;
    return { kind: 'id_card', digits: first17 + gb11643Check(first17) };
  });

/** IDs whose check character is X: the sequence number is moved until the checksum gives X. */
export const id18WithX: fc.Arbitrary<Pii> = fc
  .record({
    region: fc.constantFrom(...REGIONS),
    birth: birthDate('1930-01-01', '2025-12-31'),
    seq: fc.nat(999),
  })
  .map(({ region, birth, seq }) => {
    for (let q = 0; ; q++) {
      const first17 = `${region}${ymd(birth)}${pad((seq + q) % 1000, 3)}`;
      if (gb11643Check(first17) === 'X') return { kind: 'id_card', digits: `${first17}X` };
    }
  });

export const id15: fc.Arbitrary<Pii> = fc
  .record({
    region: fc.constantFrom(...REGIONS),
    birth: birthDate('1930-01-01', '1999-12-31'),
    seq: fc.nat(999),
  })
  .map(({ region, birth, seq }) => ({
    kind: 'id_card',
    digits: `${region}${ymd(birth).slice(2)}${pad(seq, 3)}`,
  }));

const digitString = (length: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((a) => a.join(''));

export const bankCard: fc.Arbitrary<Pii> = fc
  .record({
    bin: fc.constantFrom('622', '621', '623', '625', '62', '4', '5'),
    length: fc.constantFrom(16, 19, 16, 19, 17, 18),
  })
  .chain(({ bin, length }) => digitString(length - bin.length - 1).map((rest) => bin + rest))
  .map((body) => ({ kind: 'bank_card', digits: body + luhnCheckDigit(body) }));

// Every mainland mobile prefix in use: 13x, 14x, 15x, 16x, 17x, 18x, 19x.
const MOBILE_PREFIXES = [
  ...'0123456789'.split('').map((d) => `13${d}`),
  ...'0123456789'.split('').map((d) => `18${d}`),
  ...'145 146 147 148 149 150 151 152 153 155 156 157 158 159 162 165 166 167'.split(' '),
  ...'170 171 172 173 174 175 176 177 178 190 191 192 193 195 196 197 198 199'.split(' '),
];

export const mobile: fc.Arbitrary<Pii> = fc
  .tuple(fc.constantFrom(...MOBILE_PREFIXES), digitString(8))
  .map(([p, rest]) => ({ kind: 'phone', digits: p + rest }));

export const anyPii: fc.Arbitrary<Pii> = fc.oneof(mobile, id18, id18WithX, id15, bankCard);

/** How each digit can be written: ASCII, full-width, Chinese, radio readings, financial (大写) forms. */
export const DIGIT_FORMS: Record<string, { full: string; chinese: string[]; financial: string[] }> = {
  '0': { full: '０', chinese: ['零', '〇', '洞'], financial: ['零'] },
  '1': { full: '１', chinese: ['一', '幺'], financial: ['壹'] },
  '2': { full: '２', chinese: ['二', '两'], financial: ['贰', '貳'] },
  '3': { full: '３', chinese: ['三'], financial: ['叁', '參'] },
  '4': { full: '４', chinese: ['四'], financial: ['肆'] },
  '5': { full: '５', chinese: ['五'], financial: ['伍'] },
  '6': { full: '６', chinese: ['六'], financial: ['陆', '陸'] },
  '7': { full: '７', chinese: ['七', '拐'], financial: ['柒'] },
  '8': { full: '８', chinese: ['八'], financial: ['捌'] },
  '9': { full: '９', chinese: ['九', '勾'], financial: ['玖'] },
};
/**
 * Forms people use to slip digits past a filter, or that other scripts and keyboards produce: circled
 * (①, with ⓪ for 0), Arabic-Indic (٠-٩), mathematical bold (𝟎-𝟗, outside the BMP), and digits spelled
 * as words in pinyin (tone marks or not, radio readings yao/dong/guai/gou) or English.
 */
export const OTHER_DIGIT_FORMS: Record<
  string,
  { circled: string; arabicIndic: string; mathBold: string; pinyin: string[]; english: string }
> = Object.fromEntries(
  [
    ['ling', 'líng', 'dong'],
    ['yi', 'yāo', 'yao', 'Yi'],
    ['er', 'liang', 'èr'],
    ['san', 'sān'],
    ['si', 'sì'],
    ['wu', 'wǔ'],
    ['liu', 'liù'],
    ['qi', 'guai', 'qī'],
    ['ba', 'bā'],
    ['jiu', 'gou', 'jiǔ'],
  ].map((pinyin, d) => [
    String(d),
    {
      circled: '⓪①②③④⑤⑥⑦⑧⑨'[d]!,
      arabicIndic: '٠١٢٣٤٥٦٧٨٩'[d]!,
      mathBold: String.fromCodePoint(0x1d7ce + d),
      pinyin,
      english: 'zero one two three four five six seven eight nine'.split(' ')[d]!,
    },
  ]),
);
export const X_FORMS = ['X', 'x', '叉', '艾克斯'];
/** What may stand between groups: separators, and fillers (at most three filler words per gap). */
export const GAPS = [
  ...[' ', '-', '.', ',', '，', '、', '　', ' - ', '(', ') '],
  ...[' 嗯 ', '嗯', '那个', ' 呃 ', '就是', ' 对 ', '，嗯，', '然后', ' 嗯 那个 就是 ', '后面是'],
  // Line breaks, a zero-width space, tildes and the full-width colon; more than three fillers.
  ...[
    '\n',
    '\r\n',
    '\u200b',
    '~',
    '～',
    '：',
    ' 嗯 那个 就是 然后 ',
    '嗯那个就是然后还有',
    ' 呃 对 就是 后面是 ',
  ],
];
export const PHONE_PREFIXES = ['', '', '+86', '86', '0086', '+86 ', '+86-', '＋８６ '];

export const STYLES = [
  'ascii',
  'fullwidth',
  'chinese',
  'financial',
  'circled',
  'arabic-indic',
  'math-bold',
  'pinyin',
  'english',
] as const;
export type Style = (typeof STYLES)[number] | 'mixed';

export interface RenderOptions {
  style: Style;
  grouping: 'none' | 'standard' | 'random';
  gapMode: 'same' | 'varied';
  phonePrefix: string;
  xForm: string;
  /** Random choices, consumed cyclically (digit variants, group sizes, gaps). */
  picks: number[];
}

export const renderOptions: fc.Arbitrary<RenderOptions> = fc.record({
  style: fc.constantFrom<Style>(...STYLES, 'mixed'),
  grouping: fc.constantFrom('none', 'standard', 'random'),
  gapMode: fc.constantFrom('same', 'varied'),
  phonePrefix: fc.constantFrom(...PHONE_PREFIXES),
  xForm: fc.constantFrom(...X_FORMS),
  picks: fc.array(fc.nat(1000), { minLength: 40, maxLength: 40 }),
});

export interface Rendering {
  text: string;
  /** Per digit of the number: [start, end) of the characters that write it. */
  digitSpans: [number, number][];
}
