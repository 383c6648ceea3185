/**
 * How one run of digit groups can be read, and what each reading costs the planner.
 * Strings are normalised: '0'-'9', 'X' (ID check character) and '*' (an existing mask).
 */
import {
  hasId18Structure,
  isCompactDate,
  isMobile,
  isPrefixedMobile,
  isValidDate,
  isValidId15,
  isValidId18,
  luhnValid,
} from './validators.js';

export type PiiKind = 'id_card' | 'bank_card' | 'phone';

/*
 * Costs. The planner picks the cheapest reading of a whole chain.
 * - strong: a number whose structure proves it (mobile prefix, ID region+birth date+checksum, Luhn).
 * - weak: right length and shape but a failed check, as ASR mis-hearing one digit produces.
 * - date: a calendar date (20261101, 2026-11-01): never personal here, may sit beside anything.
 * - stretch: up to 10 digits of something else (an amount, a short reference). Two stretches may not
 *   touch, or any long number could be explained away as short pieces.
 * - unexplained: 11+ digits that are none of the above. Masked anyway: a missed card is worse than an
 *   over-masked reference number.
 * - masked: what an earlier redaction left (*******5678). The best explanation there is, so the cheapest:
 *   redacting redacted text must change nothing.
 * The relations matter, not the values:
 * - stretch > weak - strong: a stretch does not split the tail off a mis-heard number
 *   (whole weak card 2 < Luhn-valid prefix 1 + tail 1.5);
 * - strong + stretch < unexplained: one amount beside a valid number stays (5000 13812345678);
 * - strong + 2 stretches > unexplained: a valid-looking number with unknown digits on both sides is more
 *   likely a piece of something longer, so the whole run is masked;
 * - 3 strong < unexplained: three valid numbers side by side are read as three.
 * - service: a bank or public service number (95588, 12378, 400-820-8888), kept like a date. Service +
 *   strong < weak, so 「95555 13812345678」 is a hotline and a mobile, not a mis-heard card; but
 *   stretch + service > weak, so a hotline-shaped group never splits a mis-heard number into kept pieces.
 */
export const COST = {
  strong: 1,
  weak: 2,
  date: 0.4,
  service: 0.6,
  stretch: 1.5,
  unexplained: 3.2,
  masked: 0.1,
} as const;

/** Fewest digits that can be personal data (a mobile number); longest run that is a stretch. */
export const MIN_PII_DIGITS = 11;
export const MAX_STRETCH = MIN_PII_DIGITS - 1;

export interface Reading {
  cost: number;
  /** 'masked': what an earlier redaction left, nothing more to mask. */
  kind: PiiKind | 'masked';
  strong: boolean;
}

/** What an earlier redaction left: nothing more to mask. */
export const MASKED: Reading = { cost: COST.masked, kind: 'masked', strong: false };

/**
 * Whether a run holding masks is what a redaction leaves: it starts with a mask, shows at most four
 * digits in a row within a group, and has at least as many masks as digits (overlapping numbers can
 * leave the kept tail of one between the masks of another).
 */
export const isAlreadyMasked = (
  startsWithMask: boolean,
  masks: number,
  digits: number,
  longestRun: number,
): boolean => startsWithMask && longestRun <= 4 && masks >= digits;

/** Issuer prefixes of real cards: 3 (Amex, JCB), 4, 5, 6 (UnionPay 62), 8, 9, and 22-27 (Mastercard 2-series). */
const CARD_PREFIX = /^(?:[3-9]|2[2-7])/;

const strong = (kind: PiiKind): Reading => ({ cost: COST.strong, kind, strong: true });
const weak = (kind: PiiKind): Reading => ({ cost: COST.weak, kind, strong: false });

/** The personal-number reading of a run of 11-19 characters without masks, or null when it is none. */
export function classify(s: string): Reading | null {
  const n = s.length;
  if (n > 19) return null;
  if (n === 18 && isValidId18(s)) return strong('id_card');
  if (isMobile(s) || isPrefixedMobile(s)) return strong('phone');
  if (n === 15 && isValidId15(s)) return strong('id_card');
  const cardLike = CARD_PREFIX.test(s) && luhnValid(s);
  if (cardLike && (n >= 16 || (n === 15 && /^3[47]/.test(s)))) return strong('bank_card');
  if (n === 18 && (hasId18Structure(s) || s.endsWith('X'))) return weak('id_card');
  if (s.includes('X')) return null;
  // Any 11 digits starting with 1 (a mobile with a mis-heard second digit); landlines with an area code.
  if ((n === 11 && s[0] === '1') || ((n === 11 || n === 12) && /^0[1-9]/.test(s))) return weak('phone');
  if (n >= 16) return weak('bank_card');
  return null;
}

/** The kind reported for an unexplained run: the kind whose length it is nearest to. */
export const kindByLength = (n: number): PiiKind => (n <= 13 ? 'phone' : n <= 15 ? 'id_card' : 'bank_card');

/**
 * A calendar date, compact (YYYYMMDD, YYYYMMDDhhmm[ss]) or as three groups (Y-M-D, D/M/Y, M/D/Y).
 * `groupLengths` are the lengths of the groups that make up `s`.
 */
export function isDate(s: string, groupLengths: number[]): boolean {
  if (groupLengths.length === 1) {
    if (s.length === 8) return isCompactDate(s);
    if (s.length !== 12 && s.length !== 14) return false;
    const hh = Number(s.slice(8, 10));
    const mm = Number(s.slice(10, 12));
    const ss = s.length === 14 ? Number(s.slice(12, 14)) : 0;
    return isCompactDate(s) && hh < 24 && mm < 60 && ss < 60;
  }
  if (groupLengths.length !== 3 || !/^[0-9]+$/.test(s)) return false;
  const [l0, l1, l2] = groupLengths as [number, number, number];
  const a = Number(s.slice(0, l0));
  const b = Number(s.slice(l0, l0 + l1));
  const c = Number(s.slice(l0 + l1));
  if (l0 === 4 && l1 <= 2 && l2 <= 2) return isValidDate(a, b, c);
  if (l2 === 4 && l0 <= 2 && l1 <= 2) return isValidDate(c, b, a) || isValidDate(c, a, b);
  return false;
}

/**
 * A service number everyone may see: the five-digit hotlines of banks (95xxx, 96xxx), carriers
 * (100xx) and public services and regulators (12xxx: 12345, 12363, 12378), as one group; a 400 or
 * 800 number as one group or three (400-820-8888, 4008-208-888).
 */
export function isServiceNumber(s: string, groupLengths: number[]): boolean {
  if (s.length === 5) return groupLengths.length === 1 && /^(?:9[56]\d{3}|100\d{2}|12\d{3})$/.test(s);
  return s.length === 10 && groupLengths.length <= 3 && /^[48]00\d{7}$/.test(s);
}
