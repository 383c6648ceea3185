/**
 * Valid-looking personal numbers (phone, bank card, resident ID) and the ways customers say them,
 * so that the redaction path meets what it will meet in production: checksums are correct, and the
 * digits arrive plain, grouped with spaces, full-width or read out as Chinese digits.
 */
import type { Rng } from './prng.js';

export const PII_KINDS = ['phone', 'card', 'id'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export const PII_FORMS = ['digits', 'spaced', 'fullwidth', 'chinese'] as const;
export type PiiForm = (typeof PII_FORMS)[number];

export interface PiiSample {
  kind: PiiKind;
  /** The number itself, ASCII digits (and X for an ID check character). */
  value: string;
  form: PiiForm;
  /** How it appears in the text. */
  spoken: string;
}

const MOBILE_PREFIXES = [
  '130',
  '131',
  '135',
  '136',
  '138',
  '139',
  '150',
  '152',
  '158',
  '159',
  '177',
  '186',
  '187',
  '188',
  '189',
  '199',
];
/** UnionPay debit (19 digits) and credit (16 digits) issuer prefixes. */
const CARD_BINS: readonly (readonly [string, number])[] = [
  ['622202', 19],
  ['621700', 19],
  ['622848', 19],
  ['623668', 19],
  ['621226', 19],
  ['622588', 16],
  ['625807', 16],
  ['436742', 16],
  ['518710', 16],
  ['622155', 16],
];
const REGION_CODES = [
  '110101',
  '110105',
  '310104',
  '310115',
  '440305',
  '440106',
  '330106',
  '320102',
  '510104',
  '420106',
  '610113',
  '370202',
];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The Luhn check digit that completes `body`. */
export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function isValidLuhn(number: string): boolean {
  return /^\d{12,19}$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === number.slice(-1);
}

/** The GB 11643 check character of the first 17 digits of a resident ID. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (ID_WEIGHTS[i] as number);
  return ID_CHECK[sum % 11] as string;
}

export function isValidResidentId(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && idCheckChar(id.slice(0, 17)) === id[17];
}

export function phoneNumber(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + rng.digits(8);
}

export function cardNumber(rng: Rng): string {
  const [bin, length] = rng.pick(CARD_BINS);
  const body = bin + rng.digits(length - bin.length - 1);
  return body + luhnCheckDigit(body);
}

export function residentId(rng: Rng): string {
  const year = rng.int(1958, 2004);
  const month = rng.int(1, 12);
  const day = rng.int(1, 28);
  const birth = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
  const first17 = rng.pick(REGION_CODES) + birth + rng.digits(3);
  return first17 + idCheckChar(first17);
}

const CHINESE_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** Reads digits the way callers do: 幺 for 1 in phone and card numbers, 叉 for an ID's X. */
function toChinese(value: string, rng: Rng): string {
  const yao = rng.chance(0.8);
  let out = '';
  for (const ch of value) {
    if (ch === 'X') out += rng.chance(0.5) ? '叉' : 'X';
    else if (ch === '1' && yao) out += '幺';
    else out += CHINESE_DIGITS[ch.charCodeAt(0) - 48] as string;
  }
  return out;
}

function toFullWidth(value: string): string {
  let out = '';
  for (const ch of value) out += ch === 'X' ? 'Ｘ' : String.fromCharCode(ch.charCodeAt(0) + 0xfee0);
  return out;
}

function grouped(kind: PiiKind, value: string): string {
  const sizes = kind === 'phone' ? [3, 4, 4] : kind === 'id' ? [6, 8, 4] : [4, 4, 4, 4, 4];
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= value.length) break;
    parts.push(value.slice(at, at + size));
    at += size;
  }
  return parts.join(' ');
}

/** A fresh valid number of a random kind, spelled in a form that suits the channel. */
export function piiSample(rng: Rng, channel: 'call' | 'chat'): PiiSample {
  const kind = rng.pick(PII_KINDS);
  const value = kind === 'phone' ? phoneNumber(rng) : kind === 'card' ? cardNumber(rng) : residentId(rng);
  // ASR output reads numbers as Chinese digits or digit runs; chat users type, so no Chinese digits.
  const form: PiiForm =
    channel === 'call'
      ? rng.pick(['chinese', 'chinese', 'digits', 'spaced'] as const)
      : rng.pick(['digits', 'digits', 'spaced', 'fullwidth'] as const);
  const spoken =
    form === 'digits'
      ? value
      : form === 'spaced'
        ? grouped(kind, value)
        : form === 'fullwidth'
          ? toFullWidth(value)
          : toChinese(value, rng);
  return { kind, value, form, spoken };
}
