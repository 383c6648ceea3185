import { jiebaTags } from '../../segment/jieba.js';
import type { Span, UtteranceContext } from '../context/utterance-context.js';

const NAME = /^[\u4e00-\u9fff0-9a-z]{2,6}$/;

/**
 * Tags of words that are never a bank's name: 要求银行退还, 希望银行管管, 某些银行, 对银行. A bank name is
 * a place (宁波), a proper noun (浙商) or an unknown word (台新); verbs, pronouns, prepositions,
 * adverbs and particles before 银行 are the sentence talking about "the bank".
 */
const NOT_NAME_TAGS = new Set([
  'v',
  'vn',
  'vd',
  'vg',
  'r',
  'rr',
  'rz',
  'p',
  'c',
  'u',
  'uj',
  'ul',
  'uz',
  'd',
  'ad',
  'f',
  'm',
  'q',
  'y',
  'e',
  'o',
  'zg',
]);

function looksLikeName(name: string): boolean {
  return jiebaTags(name).some((t) => !NOT_NAME_TAGS.has(t));
}

/**
 * "<name>银行" for a bank the taxonomy does not list (宁波银行, 深圳农商行): the name is the jieba
 * word before the suffix, or the part of the word the suffix ends. Names that are not names
 * (你们, 手机, 人民, 哪家...) are listed in competitors.yaml > otherBank.notNames.
 */
export function findOtherBanks(ctx: UtteranceContext): Span[] {
  const spans: Span[] = [];
  const { starts } = ctx.seg;
  for (const h of ctx.get('otherSuffix')) {
    const w = ctx.tokenAt(h.span.start);
    const wordStart = starts[w] ?? 0;
    let nameStart: number;
    if (wordStart < h.span.start) nameStart = wordStart;
    else if (w > 0) nameStart = starts[w - 1] ?? 0;
    else continue;
    const name = ctx.text.slice(nameStart, h.span.start);
    if (!NAME.test(name) || ctx.lexicon.notNames.has(name)) continue;
    if (ctx.lexicon.notNames.has(name.slice(-1))) continue;
    if (!looksLikeName(name)) continue;
    spans.push({ start: nameStart, end: h.span.end });
  }
  return spans;
}
