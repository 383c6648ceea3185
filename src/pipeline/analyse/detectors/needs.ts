import type { Need } from '../../../domain/labels.js';
import type { RoleHit, Span, UtteranceContext } from '../context/utterance-context.js';
import type { Role, RoleKind } from '../lexicon/roles.js';
import type { Mention } from './competitors.js';
import * as complaintsModule from './complaints.js';
import type { Finding } from './finding.js';

const isAsserted = complaintsModule.isAsserted;

export interface NeedFindings {
  needs: Finding<Need>[];
  declined: Finding<Need>[];
}

type NeedHit = RoleHit<Extract<Role, { kind: 'needTerm' | 'needProduct' }>>;

const TIME_CLAUSE = ['的时候', '那时候', '那会儿', '的那天'];
/** Words after 不想/不要 that are what is refused, not the product before (理财...我不想亏本). */
const DECLINE_OBJECTS = ['亏', '麻烦', '等', '跑', '折腾', '被', '再', '冒险', '损失', '影响'];

/** Cue kinds that cut the link between an intent cue and a product (a complaint in between). */
const BLOCKERS: RoleKind[] = ['trigger', 'catTerm', 'negCue'];

/** Is `cue` within `before` words before or `after` words after `target`, in the same clause? */
function near(ctx: UtteranceContext, cue: Span, target: Span, before: number, after: number): boolean {
  if (!ctx.sameClause(cue, target)) return false;
  if (cue.end <= target.start) return ctx.gap(cue, target) < before;
  if (cue.start >= target.end) return ctx.gap(target, cue) < after;
  return cue.start < target.start; // 想存|存笔钱: the cue runs into the product
}

function allNeedHits(ctx: UtteranceContext): NeedHit[] {
  return [...ctx.get('needTerm'), ...ctx.get('needProduct')] as NeedHit[];
}

/** The products an utterance names, in order (either speaker). */
export function namedNeeds(ctx: UtteranceContext): Need[] {
  return allNeedHits(ctx)
    .sort((a, b) => a.span.start - b.span.start)
    .map((h) => h.role.need);
}

/** 我不想亏本: the decline is about the word after it, not about the product before it. */
function declinesSomethingElse(ctx: UtteranceContext, cue: Span): boolean {
  const next = ctx.tokenAt(cue.end);
  if (
    ctx.wordStart(next) !== cue.end ||
    next >= ctx.seg.words.length ||
    ctx.clauseAt(cue.end) !== ctx.clauseAt(cue.start)
  )
    return false;
  const word = ctx.seg.words[next] ?? '';
  return DECLINE_OBJECTS.some((o) => word.startsWith(o));
}

/**
 * A cue in one of the two clauses after the product's, when no product is named from there to the
 * cue (信用卡我有三张了，不办了; 保险的话，我们公司都买了，不需要; 理财收益不高，有没有推荐的).
 */
function laterClause(ctx: UtteranceContext, cue: Span, p: Span, all: readonly NeedHit[]): boolean {
  const clause = ctx.clauseAt(cue.start);
  const from = ctx.clauseAt(p.start);
  if (clause <= from || clause > from + 2) return false;
  return !all.some((o) => {
    const c = ctx.clauseAt(o.span.start);
    return c > from && c <= clause;
  });
}

/** 这些我都不感兴趣 / 那些都别推: a refusal said of everything named before it. */
const COLLECTIVE = /(这些|那些|这几样|这几个|全部|统统|一律|都)[^，。！？,.!?；;]{0,3}$/;
/** Words that choose one thing over another (还是存定期, 不如买点黄金). */
const CHOICE = /还是|改成|换成|干脆|不如|宁愿|宁可/;
/** 其他的都不要: everything else, not what was named. */
const EXCEPT = /其他|其它|别的|其余|除了/;

function collectiveDecline(ctx: UtteranceContext, cue: Span, p: Span): boolean {
  if (p.end > cue.start) return false;
  const text = ctx.text;
  if (!COLLECTIVE.test(text.slice(Math.max(0, cue.start - 6), cue.start))) return false;
  if (EXCEPT.test(text.slice(p.start, cue.start))) return false;
  // 我想存个定期，别的那些都不要: a wish anywhere in the utterance keeps what it wants
  return !ctx.get('desire').some((d) => !ctx.isNegated(d.span));
}

function declined(ctx: UtteranceContext, p: NeedHit, others: NeedHit[]): Span | undefined {
  const { decline } = ctx.lexicon.data.cues;
  const cues: Span[] = ctx.get('decline').map((d) => d.span);
  for (const d of ctx.get('desire')) if (ctx.isNegated(d.span)) cues.push(d.span);
  for (const d of cues) if (collectiveDecline(ctx, d, p.span)) return d;
  for (const d of cues) {
    // 额度够用了，不用提: the decline sits inside the pattern that names the need
    if (d.start >= p.span.start && d.end <= p.span.end && ctx.patternElements.has(p.span)) return d;
    const after = d.start >= p.span.end;
    if (after && declinesSomethingElse(ctx, d)) continue;
    if (
      !near(ctx, d, p.span, decline.before, decline.after) &&
      !(after && laterClause(ctx, d, p.span, others))
    )
      continue;
    // a new product or a fresh wish in between starts another thought: 不需要贷款 我想办信用卡
    const between = (s: Span): boolean =>
      s.start >= Math.min(d.end, p.span.end) && s.end <= Math.max(d.start, p.span.start);
    if (others.some((o) => o !== p && o.role.need !== p.role.need && between(o.span))) continue;
    if (d.end <= p.span.start && ctx.get('desire').some((w) => between(w.span) && !ctx.isNegated(w.span)))
      continue;
    // 理财就不弄了，还是存定期稳当: what comes after 还是/不如 is chosen instead of what was refused
    if (d.end <= p.span.start && CHOICE.test(ctx.text.slice(d.end, p.span.start))) continue;
    return d;
  }
  return undefined;
}

/**
 * 天天给我推信用贷 / 别再给我发保险广告: the product is what the bank pushes, so it is refused, unless
 * the words describe what was sold (推销的基金, 推销了一份保险) or something was bought in between.
 */
function marketedTo(ctx: UtteranceContext, p: NeedHit): Span | undefined {
  const { marketing } = ctx.lexicon.data.cues;
  const hit = ctx.get('marketing').find(
    (m) =>
      near(ctx, m.span, p.span, marketing.before, marketing.after) &&
      // 推销的基金 / 推销了一份保险 say what was sold; after the product (保险广告了) 了 ends the sentence
      !(m.span.end <= p.span.start && ctx.followedBy(m.span, SOLD_MARKERS)) &&
      !ctx.between(m.span, p.span, ['action']),
  );
  return hit?.span;
}
const SOLD_MARKERS = ['的', '了', '过', '给我的', '我买', '我办'];

/** An action verb in the past (办了, 买的, 已经存了) is about a product already held. */
function isPast(ctx: UtteranceContext, action: Span): boolean {
  if (ctx.followedBy(action, ctx.lexicon.pastMarkers)) return true;
  return ctx.get('pastBefore').some((p) => p.span.end <= action.start && ctx.gap(p.span, action) <= 2);
}

function inCompetitorClause(ctx: UtteranceContext, span: Span, mentions: readonly Mention[]): boolean {
  return (
    mentions.some((m) => ctx.sameClause(m.span, span) && ctx.distance(m.span, span) <= 6) ||
    mentions.some((m) => m.switching)
  );
}

/** 我准备把房贷转到招行: the product is leaving, whatever the wish. */
function inSwitchingClause(ctx: UtteranceContext, span: Span, mentions: readonly Mention[]): boolean {
  return mentions.some((m) => m.switching && ctx.sameClause(m.span, span));
}

function desired(ctx: UtteranceContext, p: NeedHit): boolean {
  const { intent } = ctx.lexicon.data.cues;
  return ctx
    .get('desire')
    .some(
      (d) =>
        near(ctx, d.span, p.span, intent.before, intent.after) &&
        !ctx.between(d.span, p.span, BLOCKERS) &&
        !ctx.isNegated(d.span),
    );
}

/** A complaint in the product's clause or the next one (卖给我一个基金，根本没讲清楚). */
function complaintClause(ctx: UtteranceContext, span: Span): boolean {
  const clause = ctx.clauseAt(span.start);
  return BLOCKERS.some((k) =>
    ctx.get(k).some((h) => {
      const c = ctx.clauseAt(h.span.start);
      return (c === clause || c === clause + 1) && isAsserted(ctx, h.span);
    }),
  );
}

/** Does the product come with an intent (wish, action, or a question about acquiring it)? */
function wanted(ctx: UtteranceContext, p: NeedHit, mentions: readonly Mention[]): boolean {
  const { intent, service } = ctx.lexicon.data.cues;
  const all = allNeedHits(ctx);
  const linked = (cue: Span): boolean =>
    (near(ctx, cue, p.span, intent.before, intent.after) ||
      (cue.start >= p.span.end && laterClause(ctx, cue, p.span, all))) &&
    !ctx.between(cue, p.span, BLOCKERS);
  // a question about an attribute of the product (信用卡的年费, 信用卡怎么激活) is a service request
  if (ctx.get('service').some((s) => s.span.start >= p.span.end && ctx.gap(p.span, s.span) <= 1))
    return false;
  if (desired(ctx, p)) return true;
  if (inCompetitorClause(ctx, p.span, mentions)) return false;
  // 买理财的时候...: an event in the past, not a wish
  if (ctx.followedBy(p.span, TIME_CLAUSE)) return false;
  const complaint = complaintClause(ctx, p.span);
  const serviceNear = ctx
    .get('service')
    .some((s) => near(ctx, s.span, p.span, service.before, service.after));
  if (serviceNear || complaint) return false;
  if (ctx.get('action').some((a) => linked(a.span) && !isPast(ctx, a.span) && !ctx.isNegated(a.span)))
    return true;
  if (ctx.get('question').some((q) => linked(q.span))) return true;
  // the product alone is the answer (坐席: 您想了解哪方面? 客户: 大额存单)
  return ctx.text.replace(/[\s\p{P}啊吧呢吗哦呀嘛]/gu, '').length <= p.span.end - p.span.start + 2;
}

/** 本来想, 原本打算: the unreal cues that say a wish was once held and is no longer. */
const ONCE_MEANT = /^(本来|原本|原来|本)(想|打算)$/;

/** 我本来想存定期的 (and then did not): a wish that was, not one that is. */
function onceMeant(ctx: UtteranceContext, span: Span): boolean {
  return ctx
    .get('unreal')
    .some(
      (u) =>
        u.span.start < span.start &&
        ctx.sameClause(u.span, span) &&
        ONCE_MEANT.test(ctx.text.slice(u.span.start, u.span.end)),
    );
}

/** Needs and declined needs of one customer utterance. */
export function detectNeeds(ctx: UtteranceContext, mentions: readonly Mention[]): NeedFindings {
  const needs: Finding<Need>[] = [];
  const declinedNeeds: Finding<Need>[] = [];
  if (!ctx.has('needTerm') && !ctx.has('needProduct')) return { needs, declined: declinedNeeds };
  const hits = allNeedHits(ctx);
  for (const p of hits) {
    const need = p.role.need;
    // 房贷利率一直没降: a need pattern whose last element is negated says nothing about a wish
    const elements = ctx.patternElements.get(p.span);
    const last = elements?.[elements.length - 1];
    if (elements && last && ctx.isNegated(last, false, elements) && !declined(ctx, p, hits)) continue;
    if (declined(ctx, p, hits)) {
      // 以后别再给我推保险 inside a mis-selling complaint is a refusal too (taxonomy: 不需要X is a
      // declined need whatever surrounds it); the blind writers and labelers agree on it
      declinedNeeds.push({ label: need, ctx, span: p.span });
      continue;
    }
    if (inSwitchingClause(ctx, p.span, mentions) || onceMeant(ctx, p.span)) continue;
    if (!desired(ctx, p) && marketedTo(ctx, p)) {
      declinedNeeds.push({ label: need, ctx, span: p.span });
      continue;
    }
    if (p.role.kind === 'needTerm') {
      // in a complaint (给我办卡的时候捆绑了保险) or about a competitor (汇丰的跨境汇款手续费低) a
      // product phrase describes something else than a wish
      const context = complaintClause(ctx, p.span) || inCompetitorClause(ctx, p.span, mentions);
      if (!context || desired(ctx, p)) needs.push({ label: need, ctx, span: p.span });
      continue;
    }
    if (wanted(ctx, p, mentions)) needs.push({ label: need, ctx, span: p.span });
  }
  return { needs, declined: declinedNeeds };
}

const ANSWER_OPENING_WORDS = 8;
const SENTENCE_END = /[。！？!?；;]/;
const PIVOT = /另外|此外|顺便|对了|顺带|还有就是/g;

/**
 * What the agent's offer is about: the products of the sentences that hold an offer cue and of the
 * sentence before the first (我行房贷利率三点零五。需要帮您预约吗), less those followed, before any cue of
 * their own, by a turn to something new that names another product (存款证明可以在app开具。另外您买房
 * 的话 我行房贷……需要吗: the 存款 was service talk).
 */
function offerScope(offer: UtteranceContext, hits: NeedHit[]): NeedHit[] {
  const cues = offer.get('offer');
  if (cues.length === 0 || hits.length < 2) return hits;
  const text = offer.text;
  // the sentence each offset is in, counted once for the whole agent turn
  const sentence: number[] = [];
  for (let i = 0, n = 0; i < text.length; i++) {
    sentence.push(n);
    if (SENTENCE_END.test(text.charAt(i))) n++;
  }
  const sentenceOf = (pos: number): number => sentence[pos] ?? 0;
  const cueSentences = new Set(cues.map((c) => sentenceOf(c.span.start)));
  cueSentences.add(Math.min(...cueSentences) - 1);
  const scoped = hits.filter((h) => cueSentences.has(sentenceOf(h.span.start)));
  if (scoped.length === 0) return hits;
  const pivots = [...text.matchAll(PIVOT)].map((m) => m.index);
  // 我们有养老金开户活动 另外还有一款医疗险: a product with an offer cue of its own stays offered
  const superseded = (h: NeedHit): boolean =>
    pivots.some(
      (p) =>
        p > h.span.start &&
        !cues.some((c) => c.span.start > h.span.start && c.span.start < p) &&
        cues.some((c) => c.span.start > p) &&
        scoped.some((o) => o.span.start > p),
    );
  const kept = scoped.filter((h) => !superseded(h));
  return kept.length > 0 ? kept : scoped;
}

const CARD_WORD = '信用卡';

/**
 * Could this utterance answer an offer? (checked before looking at the agent's utterance) A refusal
 * may go on to name other products (不用 我单位有补充医疗); an acceptance must name none, or it is
 * about what it names.
 */
function isAnswer(ctx: UtteranceContext): boolean {
  if (ctx.has('refuse') || ctx.has('decline')) return true;
  return ctx.has('accept') && !ctx.has('needTerm') && !ctx.has('needProduct');
}

/**
 * Answers to an offer: the agent named a product with an offer cue (要不要了解一下) and the customer,
 * naming no product, accepts (可以, 介绍一下) or refuses (不用了). Evidence is the customer's answer.
 */
export function detectAnswers(
  ctx: UtteranceContext,
  offerContext: () => UtteranceContext | undefined,
  askedAbout: (need: Need) => boolean = () => false,
): NeedFindings {
  const empty: NeedFindings = { needs: [], declined: [] };
  if (!isAnswer(ctx)) return empty;
  const offer = offerContext();
  if (!offer) return empty;
  // Without an offer cue the agent may still be answering what the customer asked about
  // (客户: 养老理财保本吗 坐席: 理财产品都不保本 客户: 那我就不弄了): a refusal then declines it.
  const named = allNeedHits(offer).filter((h) => offer.has('offer') || askedAbout(h.role.need));
  // 您的信用卡可以提额 / 我行信用卡汽车分期: a bare 信用卡 beside another product is what carries it
  const vehicle = (h: NeedHit): boolean =>
    h.role.need === 'credit_card_new' &&
    offer.text.slice(h.span.start, h.span.end) === CARD_WORD &&
    named.some((o) => o.role.need !== 'credit_card_new');
  const offered = offerScope(
    offer,
    named.filter((h) => !vehicle(h)),
  );
  if (offered.length === 0) return empty;
  const offerCued = offer.has('offer');
  // an answer opens the reply, perhaps after a word on why (我在送单呢 没空 不要不要)
  const opening = (span: Span): boolean => ctx.tokenAt(span.start) < ANSWER_OPENING_WORDS;
  const products = allNeedHits(ctx);
  // 不用了 opens the reply before any product the customer names (保险不用 is the detector's own)
  // a longer decline cue (不弄了, 不需要了) hides the refusal inside it: both kinds answer an offer
  const refuse = [...ctx.get('refuse'), ...ctx.get('decline')].find(
    (r) => opening(r.span) && !ctx.isNegated(r.span) && !products.some((p) => p.span.start < r.span.end),
  );
  if (refuse)
    return {
      needs: [],
      declined: offered.map((h) => ({
        label: h.role.need,
        ctx,
        span: refuse.span,
        offered: { ctx: offer, span: h.span },
      })),
    };
  if (products.length > 0 || !offerCued) return empty;
  const accept = ctx.get('accept').find((a) => opening(a.span) && !ctx.isNegated(a.span));
  if (accept)
    return {
      needs: offered.map((h) => ({
        label: h.role.need,
        ctx,
        span: accept.span,
        offered: { ctx: offer, span: h.span },
      })),
      declined: [],
    };
  return empty;
}
