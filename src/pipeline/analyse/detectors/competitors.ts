import type { Aspect, CompetitorId, ComplaintCategory } from '../../../domain/labels.js';
import type { Span, UtteranceContext } from '../context/utterance-context.js';
import { matchPattern } from '../context/match-pattern.js';
import type { HomophoneMatcher } from './homophones.js';
import { overlaps } from './finding.js';
import { findOtherBanks } from './other-bank.js';

/** A competitor named by the customer in one utterance. */
export interface Mention {
  id: CompetitorId;
  span: Span;
  ctx: UtteranceContext;
  aspects: Set<Aspect>;
  aspectSpans: Span[];
  switching: Span | undefined;
}

const FINANCE_KINDS = ['aspect', 'needProduct', 'needTerm', 'catTopic', 'catTerm'] as const;

/** A weak name (民生, 平安) is a bank next to a context word or near a finance word in its clause. */
function weakContextOk(ctx: UtteranceContext, span: Span): boolean {
  const { before, after, financeWindow } = ctx.lexicon.data.competitors.weakContext;
  const text = ctx.text;
  const head = text.slice(Math.max(0, span.start - 4), span.start);
  const tail = text.slice(span.end, span.end + 4);
  if (before.some((b) => head.endsWith(b)) || after.some((a) => tail.startsWith(a))) return true;
  return FINANCE_KINDS.some((k) =>
    ctx
      .get(k)
      .some(
        (h) =>
          !overlaps(h.span, span) &&
          ctx.sameClause(h.span, span) &&
          ctx.distance(h.span, span) <= financeWindow,
      ),
  );
}

/**
 * 民生路, 华夏花园, 中信广场: a weak or two-character name followed by a place or company word names a
 * street, an estate or a building, also with 的 or 那个 between (光大的小区, 光大那个小区, 平安的车险). Spoken names of
 * banks (招商银行大厦) stay banks.
 */
function namesAPlace(ctx: UtteranceContext, span: Span, weak: boolean): boolean {
  if (!weak && span.end - span.start > 2) return false;
  let tail = ctx.text.slice(span.end, span.end + 7);
  // 光大的小区, 光大那个小区, 光大的那个小区
  tail = tail.replace(/^的?(?:那个|这个|那|这)?/, '');
  return ctx.lexicon.data.competitors.placeSuffixes.some((s) => tail.startsWith(s));
}

/** No partial overlap with a jieba word (the two-character rule, applied to homophone spans). */
function alignsWithWords(ctx: UtteranceContext, span: Span): boolean {
  const first = ctx.tokenAt(span.start);
  const last = ctx.tokenAt(span.end - 1);
  const firstStart = ctx.wordStart(first);
  const lastEnd = ctx.wordEnd(last);
  if (first === last) return true;
  // longer names only need to start a word: jieba glues particles on (余额|包了)
  if (span.end - span.start >= 3) return firstStart === span.start;
  return firstStart === span.start && lastEnd === span.end;
}

function isWantedProduct(ctx: UtteranceContext, span: Span): boolean {
  if (!ctx.get('needProduct').some((p) => p.span.start === span.start && p.span.end === span.end))
    return false;
  return (['desire', 'action', 'question'] as const).some((k) =>
    ctx.get(k).some((c) => c.span.end <= span.start && ctx.gap(c.span, span) <= 3),
  );
}

/** Competitor names in a customer utterance: names, weak names in context, homophones, other banks. */
export function findMentions(ctx: UtteranceContext, homophones: HomophoneMatcher): Mention[] {
  const selfSpans = ctx.get('self').map((h) => h.span);
  const mentions: Mention[] = [];
  const add = (id: CompetitorId, span: Span): void => {
    if (selfSpans.some((s) => overlaps(s, span)) || mentions.some((m) => overlaps(m.span, span))) return;
    if (id === ctx.lexicon.homeCompetitor) return;
    mentions.push({ id, span, ctx, aspects: new Set(), aspectSpans: [], switching: undefined });
  };
  for (const h of ctx.get('compName')) {
    if (h.role.weak && !weakContextOk(ctx, h.span)) continue;
    if (namesAPlace(ctx, h.span, h.role.weak)) continue;
    // 我想买点金条: a weak name that is also a product is the product when someone wants it
    if (h.role.weak && isWantedProduct(ctx, h.span)) continue;
    add(h.role.id, h.span);
  }
  for (const f of homophones.find(ctx.text, ctx.seg.starts, (span) => alignsWithWords(ctx, span)))
    add(f.id, f.span);
  // an unknown "<name>银行" may be a listed bank misheard (忠信银行 = 中信银行)
  for (const span of findOtherBanks(ctx))
    add(homophones.resolve(ctx.text.slice(span.start, span.end)) ?? 'other_bank', span);
  return mentions.sort((a, b) => a.span.start - b.span.start);
}

/**
 * Aspect words go to the nearest competitor named in the same clause, within the window. `topic`
 * gives the aspect the conversation was last about (see `amountByTopic`).
 */
export function attachAspects(
  ctx: UtteranceContext,
  mentions: Mention[],
  topic?: () => Aspect | undefined,
): void {
  if (mentions.length === 0) return;
  const window = ctx.lexicon.data.competitors.aspects.window;
  for (const a of ctx.get('aspect')) {
    let best: Mention | undefined;
    let bestDistance = Infinity;
    for (const m of mentions) {
      if (overlaps(m.span, a.span) || !ctx.sameClause(m.span, a.span)) continue;
      const d = ctx.distance(m.span, a.span);
      if (d <= window && d < bestDistance) {
        best = m;
        bestDistance = d;
      }
    }
    if (best) {
      best.aspects.add(a.role.aspect);
      best.aspectSpans.push(a.span);
    }
  }
  rateByNumber(ctx, mentions);
  if (topic) amountByTopic(ctx, mentions, topic);
}

/**
 * 八千, 一百五, 五万, 25新币, 两百多块 as the normalised text writes them (8000, 150, 5万, 25新币): a sum, a
 * fee or a limit, not a count (12期, 3天, 5楼, 2张) nor a rate (2.5%, handled by rateByNumber).
 */
const MONEY_AMOUNT =
  /(?<![\d.])(?:\d[\d,]*(?:\.\d+)?(?:[百千万]|块|元|蚊|新币|美元|港币|刀|w(?![a-z]))|\d{2,}(?![\d.%年月日号天期个点岁楼层张次笔分秒周]))/;

/** Topics an amount can be about: 年费 … 一百 is a fee, 额度 … 八千 a limit, 返现 … 五十 a promotion. */
const AMOUNT_TOPICS: ReadonlySet<Aspect> = new Set(['fee', 'credit_limit', 'promotion']);

/**
 * A rival given only as an amount while the conversation is about a fee, a limit or a promotion
 * (坐席: 年费六百… 客户: 我华夏那张卡一年才一百; 客户: 临时额度… 花呗那边也就八千): the first amount
 * after the rival's name, in its clause or the next one (ASR text breaks clauses at every pause:
 * 朋友刚办的花旗 第一张卡就给了五万) before another rival is named, takes the topic's aspect, when the
 * rival has no aspect of its own.
 */
function amountByTopic(ctx: UtteranceContext, mentions: Mention[], topic: () => Aspect | undefined): void {
  for (let k = 0; k < mentions.length; k++) {
    const m = mentions[k]!;
    if (m.aspects.size > 0) continue;
    const until = mentions[k + 1]?.span.start ?? ctx.text.length;
    const found = MONEY_AMOUNT.exec(ctx.text.slice(m.span.end, until));
    if (!found) continue;
    const start = m.span.end + found.index;
    const span = { start, end: start + found[0].length };
    if (ctx.clauseAt(span.start) - ctx.clauseAt(m.span.start) > 1) continue;
    const aspect = topic();
    if (!aspect || !AMOUNT_TOPICS.has(aspect)) return;
    m.aspects.add(aspect);
    m.aspectSpans.push(span);
  }
}

/** 二点五, 3.55%, 百分之二点六: how rates are said; 三点前 (a time) and 三毛五 (money) are not. */
const RATE_NUMBER =
  /[一二三四五六七八九两零][点點][零一二三四五六七八九]{1,3}|(?<![\d.])\d\.\d{1,3}%?|百分之[零一二三四五六七八九十点]+|\d%/g;

/**
 * A rival's rate said only as a number (宁行给我报的三点五五, 人家三年给到二点五, 邮政五年给二点零五):
 * in the clause that names the rival, or in a later clause of the utterance that points back at it
 * (那边/人家), unless that clause already has an aspect of its own.
 */
function rateByNumber(ctx: UtteranceContext, mentions: Mention[]): void {
  if (!/[点點\d%]/.test(ctx.text)) return;
  const pointers = ctx.get('thirdParty');
  const aspectClauses = new Set(ctx.get('aspect').map((a) => ctx.clauseAt(a.span.start)));
  for (const match of ctx.text.matchAll(RATE_NUMBER)) {
    const span = { start: match.index, end: match.index + match[0].length };
    const clause = ctx.clauseAt(span.start);
    if (aspectClauses.has(clause)) continue;
    const here = mentions.filter((m) => ctx.sameClause(m.span, span));
    const target =
      here[here.length - 1] ??
      (mentions.length === 1 &&
      pointers.some((p) => ctx.clauseAt(p.span.start) === clause) &&
      ctx.clauseAt(mentions[0]!.span.start) < clause
        ? mentions[0]
        : undefined);
    if (!target) continue;
    target.aspects.add('rate');
    target.aspectSpans.push(span);
  }
}

/**
 * Switching intent: a switching pattern around the name (转到招行, 在招行开了户), not negated; or a
 * pattern naming no one (转过去了) referring to the last competitor the customer named.
 */
export function detectSwitching(
  ctx: UtteranceContext,
  mentions: Mention[],
  lastNamed: Mention | undefined,
): void {
  if (mentions.length > 0) {
    const spans = mentions.map((m) => m.span);
    for (const p of ctx.lexicon.switchPatterns) {
      if (!ctx.mayMatch(p)) continue;
      for (const match of matchPattern(ctx, p, spans)) {
        // 本来想把钱挪到招行去的 (but did not), 怕转去招行麻烦: not a move
        if (ctx.isNegated(match, true) || ctx.isUnreal(match)) continue;
        for (const m of mentions)
          if (m.span.start >= match.start && m.span.end <= match.end) m.switching ??= match;
      }
    }
  }
  const target = mentions[mentions.length - 1] ?? lastNamed;
  if (!target) return;
  for (const h of ctx.get('switchAnaphoric')) {
    if (!ctx.isNegated(h.span, true) && !ctx.isUnreal(h.span)) target.switching ??= h.span;
  }
}

/**
 * A complaint said about a rival (平安普惠的催收天天打我电话, 建航莫名其妙给我降额) is what the customer
 * says about that rival: its aspect (competitors.yaml aspects.fromComplaints) goes to the rival the
 * signal is about, the one named nearest before it in the utterance (or after it), else the one the
 * previous utterance named (`prior`).
 */
export function rivalAspects(
  ctx: UtteranceContext,
  signals: readonly { category: ComplaintCategory; span: Span }[] | undefined,
  mentions: readonly Mention[],
  prior: Mention | undefined,
  fromComplaints: Partial<Record<ComplaintCategory, Aspect>>,
): void {
  for (const s of signals ?? []) {
    const aspect = fromComplaints[s.category];
    if (!aspect) continue;
    const owner =
      mentions.filter((m) => m.span.end <= s.span.start).at(-1) ??
      mentions.find((m) => m.span.start >= s.span.end) ??
      prior;
    if (!owner) continue;
    owner.aspects.add(aspect);
    if (owner.ctx === ctx) owner.aspectSpans.push(s.span);
  }
}
