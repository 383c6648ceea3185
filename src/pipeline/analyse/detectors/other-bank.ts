import type { Span, UtteranceContext } from '../context/utterance-context.js';

const NAME = /^[\u4e00-\u9fff0-9a-z]{2,6}$/;

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
    spans.push({ start: nameStart, end: h.span.end });
  }
  return spans;
}
