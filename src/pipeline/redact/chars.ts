/**
 * Character tables of the redaction scanner: which characters stand for a digit, which may sit between
 * digit groups, which spoken fillers ASR leaves inside a dictated number. Plain typed-array lookups so the
 * scanner costs one table read per character.
 */
export const NOT_DIGIT = 0xff;
/** Value used for the ID check character X (and 叉, 艾克斯). */
export const X_VALUE = 10;
/**
 * Value of '*', the mask character. Reading masks as digits lets the planner recognise what an earlier
 * redaction left (*******5678) as one masked number, so redacting redacted text changes nothing.
 */
export const MASK_VALUE = 11;

const WEAK = 0x10; // counts as a digit only next to another digit (么: a common mis-writing of 幺)
const HAN = 0x20; // a Chinese character, as opposed to an ASCII or full-width digit

const digitTable = new Uint8Array(0x10000).fill(NOT_DIGIT);
const setDigits = (chars: string, value: number): void => {
  for (const ch of chars)
    digitTable[ch.charCodeAt(0)] =
      value | (ch.charCodeAt(0) >= 0x2000 && ch.charCodeAt(0) < 0xff00 ? HAN : 0);
};
// 洞 拐 勾 幺 两 are the radio/telephone readings of 0 7 9 1 2; 壹贰… are the financial (大写) forms;
// ○ (U+25CB) is what some ASR engines and typists use for 〇.
setDigits('0０零〇○洞', 0);
setDigits('1１一壹幺', 1);
setDigits('2２二两兩贰貳貮', 2);
setDigits('3３三叁參叄', 3);
setDigits('4４四肆', 4);
setDigits('5５五伍', 5);
setDigits('6６六陆陸', 6);
setDigits('7７七柒拐', 7);
setDigits('8８八捌', 8);
setDigits('9９九玖勾', 9);
digitTable['么'.charCodeAt(0)] = 1 | WEAK | HAN;
digitTable['*'.charCodeAt(0)] = MASK_VALUE;

/**
 * Every other decimal digit Unicode knows (general category Nd: Arabic-Indic ٠-٩, Persian ۰-۹,
 * Devanagari, …) and the enclosed forms people type to dodge filters (① ⑴ ⒈ ❶ ➀ ➊ ⓵ ⓪ ⓿, ¹ ₁).
 * Nd digits come in runs of ten in order, so a digit's value is its position in its run, mod 10.
 */
function setUnicodeDigits(): void {
  const all = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) all[c] = c >= 0xd800 && c < 0xe000 ? 0x20 : c;
  const text = new TextDecoder('utf-16le').decode(all);
  for (const run of text.matchAll(/\p{Nd}+/gu)) {
    for (let k = 0; k < run[0].length; k++) {
      const code = run.index + k;
      if (digitTable[code] === NOT_DIGIT) digitTable[code] = k % 10;
    }
  }
  const runs: [number, string][] = [
    [0x2460, '123456789'], // ①-⑨
    [0x2474, '123456789'], // ⑴-⑼
    [0x2488, '123456789'], // ⒈-⒐
    [0x24f5, '123456789'], // ⓵-⓽
    [0x2776, '123456789'], // ❶-❾
    [0x2780, '123456789'], // ➀-➈
    [0x278a, '123456789'], // ➊-➒
    [0x2070, '0'], // ⁰
    [0x00b9, '1'],
    [0x00b2, '23'],
    [0x2074, '456789'],
    [0x2080, '0123456789'], // ₀-₉
    [0x24ea, '0'], // ⓪
    [0x24ff, '0'], // ⓿
  ];
  for (const [first, values] of runs) {
    [...values].forEach((v, k) => (digitTable[first + k] = Number(v)));
  }
}
setUnicodeDigits();

const NUMERIC = /^\p{Nd}$/u;

/**
 * Digits outside the BMP (mathematical 𝟎-𝟗 in five styles, segmented 🯰-🯹, …): their value, or
 * NOT_DIGIT. They are two UTF-16 code units; rare enough in text to be worked out when met.
 */
function astralDigit(cp: number): number {
  if (!NUMERIC.test(String.fromCodePoint(cp))) return NOT_DIGIT;
  let k = 0;
  while (NUMERIC.test(String.fromCodePoint(cp - k - 1))) k++;
  return k % 10;
}

const SEP = 1;
const FILLER_START = 2;
const WORD_AFTER = 4;
const WORD_BEFORE = 8;
const LATIN = 16;
const UNIT = 32;
const flags = new Uint8Array(0x10000);
const setFlag = (chars: string, flag: number): void => {
  for (const ch of chars) flags[ch.charCodeAt(0)]! |= flag;
};
// Characters that may separate digit groups: spaces, line breaks (a number wrapped in a chat window or
// split across utterances), invisible characters pasted in to dodge filters, dashes, dots, brackets,
// the tildes and the full-width colon of Chinese input methods. The ASCII ':' is deliberately absent
// (times), as are units.
setFlag(
  ' \t\n\r\v\f\u00a0\u3000\u00ad\u200b\u200c\u200d\u2060\ufeff-－‐‑–—_.．·・,，、/。()（）~～〜：',
  SEP,
);
// After a Chinese digit these make a word (一会儿, 两个, 一下) rather than continue a number.
setFlag(
  '个下会起点些次遍样定般直共天年月日号张位份块元万千百十拾佰仟期岁倍种项笔条家周分秒时小半毛角成折楼层部台辆套间趟',
  WORD_AFTER,
);
// A Chinese digit before one of these is part of an amount (一万三千八百), not of a digit string.
setFlag('十拾百佰千仟万萬亿億', UNIT);
// Before a Chinese digit these make a word (第一, 星期一, 初一).
setFlag('第期周初拜', WORD_BEFORE);
setFlag(
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙ',
  LATIN,
);

/** Spoken fillers tolerated between digit groups, longest first for each first character. */
const FILLERS =
  '嗯 呃 额 啊 阿 哦 噢 喔 诶 欸 哎 唉 呀 嘛 呢 吧 哈 是 对 对吧 那个 这个 就是 然后 还有 后面 后面是 接着 再就是 最后'.split(
    ' ',
  );
const fillersByFirst = new Map<number, string[]>();
for (const f of FILLERS) {
  const code = f.charCodeAt(0);
  flags[code]! |= FILLER_START;
  const list = fillersByFirst.get(code) ?? [];
  list.push(f);
  list.sort((a, b) => b.length - a.length);
  fillersByFirst.set(code, list);
}

export const isWeakDigit = (info: number): boolean => (info & WEAK) !== 0;
export const isHanDigit = (info: number): boolean => (info & HAN) !== 0;
export const digitValue = (info: number): number => info & 0x0f;
export const isSeparator = (code: number): boolean => (flags[code]! & SEP) !== 0;
export const isWordAfter = (code: number): boolean => (flags[code]! & WORD_AFTER) !== 0;
export const isWordBefore = (code: number): boolean => (flags[code]! & WORD_BEFORE) !== 0;
const isLatin = (code: number): boolean => (flags[code]! & LATIN) !== 0;

function strongInfo(text: string, i: number): number {
  if (i < 0 || i >= text.length) return NOT_DIGIT;
  const info = digitTable[text.charCodeAt(i)]!;
  return info !== NOT_DIGIT && !isWeakDigit(info) ? info : NOT_DIGIT;
}

/**
 * The digit info of text[i], or NOT_DIGIT. A weak digit counts only when a strong digit touches it; a
 * Chinese digit followed by a unit (八百, 一万) does not count.
 */
export function digitAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code >= 0xd800 && code <= 0xdbff) return astralDigit(text.codePointAt(i)!);
  const info = digitTable[code]!;
  if (info === NOT_DIGIT) return info;
  if ((info & HAN) !== 0 && (flags[text.charCodeAt(i + 1)]! & UNIT) !== 0) return NOT_DIGIT;
  if (!isWeakDigit(info)) return info;
  return strongInfo(text, i - 1) !== NOT_DIGIT || strongInfo(text, i + 1) !== NOT_DIGIT ? info : NOT_DIGIT;
}

/** UTF-16 code units of the digit at text[i]: 2 for one outside the BMP (𝟏), else 1. */
export function digitLength(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff ? 2 : 1;
}

const X_WORDS = ['艾克斯', '爱克斯', '埃克斯'];

/** Length of an ID check character X written as X, x, 叉 or 艾克斯 at text[i]; 0 when there is none. */
export function xTokenLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x58 || c === 0x78 || c === 0xff38 || c === 0xff58) {
    // x inside a Latin word (max, xyz) is not a check character.
    return isLatin(text.charCodeAt(i - 1)) || isLatin(text.charCodeAt(i + 1)) ? 0 : 1;
  }
  if (c === 0x53c9) return 1; // 叉
  for (const w of X_WORDS) if (text.startsWith(w, i)) return w.length;
  return 0;
}

/** Length of a spoken filler at text[i]; 0 when there is none. */
export function fillerLength(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if ((flags[code]! & FILLER_START) === 0) return 0;
  for (const f of fillersByFirst.get(code)!) if (text.startsWith(f, i)) return f.length;
  return 0;
}

/**
 * Digits spelled in pinyin (with or without tone marks, radio readings yao/dong/guai/gou included)
 * or in English, as typed in chat or written by an ASR engine set to the wrong language.
 */
const DIGIT_WORDS = new Map<string, number>();
[
  'ling líng dong dòng zero',
  'yi yī yao yāo one',
  'er èr liang liǎng two',
  'san sān three',
  'si sì four',
  'wu wǔ five',
  'liu liù six',
  'qi qī guai guǎi seven',
  'ba bā eight',
  'jiu jiǔ gou gōu nine',
].forEach((words, value) => {
  for (const w of words.split(' ')) DIGIT_WORDS.set(w, value);
});

/**
 * A digit word (pinyin or English) starting at text[i] as a whole word: `length << 4 | value`, or 0.
 * Only whole words count, so someone, bank or Yilin never hold a digit.
 */
export function wordDigitAt(text: string, i: number): number {
  if (!isLatin(text.charCodeAt(i)) || isLatin(text.charCodeAt(i - 1))) return 0;
  let j = i + 1;
  while (j - i <= 5 && isLatin(text.charCodeAt(j))) j++;
  if (isLatin(text.charCodeAt(j))) return 0;
  const value = DIGIT_WORDS.get(text.slice(i, j).toLowerCase());
  return value === undefined ? 0 : ((j - i) << 4) | value;
}
