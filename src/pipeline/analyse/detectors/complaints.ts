import type { ComplaintCategory, Escalation } from '../../../domain/labels.js';
import type { Span, UtteranceContext } from '../context/utterance-context.js';
import type { Mention } from './competitors.js';
import { cover, overlaps, type Finding } from './finding.js';

/**
 * A category found by words that judge (太贵, 不合理, 乱扣费, 高利贷) rather than by words that only
 * name a state the customer may report calmly (锁了, 登不进去, 要去网点, 扣了三块钱).
 */
export type CategoryFinding = Finding<ComplaintCategory> & { judged: boolean };

/**
 * Categories whose terms name a problem, not a judgement: 锁了, 登不进去, 必须本人去网点. Said with
 * no word of displeasure, the customer reports it (aggregate.ts).
 */
const STATE_CATEGORIES: ReadonlySet<ComplaintCategory> = new Set([
  'system_failure',
  'account_restriction',
  'process_complexity',
  // a fraud reported calmly (这笔不是我刷的, 要挂失) is a service case; blamed on the bank, a complaint
  'fraud_dispute',
]);

export interface ComplaintFindings {
  categories: CategoryFinding[];
  /** dissatisfaction with no category of its own */
  triggers: Finding<'other'>[];
  escalations: (Finding<Escalation> & { weak: boolean })[];
  /** categories said about a competitor, not the home bank (平安普惠的催收天天打我电话) */
  aboutRivals?: { category: ComplaintCategory; span: Span }[];
}

const TARGET_WINDOW = 8;

/**
 * Is the dissatisfaction at `topic` about a competitor? The owner of a topic is the nearest
 * institution named before it in the clause (招行的服务比你们差 -> 招行; 你们的年费比招行贵 -> 你们),
 * else the nearest one after it. 他们/人家 count as the competitor in an utterance naming one, or
 * right after the customer's previous utterance named one (`priorRival`: 是平安普惠的 借了十万 …
 * 他们的人天天打我电话 还打到我老婆那去).
 */
function aboutCompetitor(
  ctx: UtteranceContext,
  topic: Span,
  mentions: readonly Mention[],
  priorRival: boolean,
): boolean {
  if (mentions.length === 0 && !priorRival) return false;
  const refs: { span: Span; competitor: boolean }[] = [
    ...mentions.map((m) => ({ span: m.span, competitor: true })),
    ...ctx.get('thirdParty').map((t) => ({ span: t.span, competitor: true })),
    ...ctx.get('self').map((s) => ({ span: s.span, competitor: false })),
  ];
  let before: { d: number; competitor: boolean } | undefined;
  let after: { d: number; competitor: boolean } | undefined;
  for (const r of refs) {
    if (overlaps(r.span, topic) || !ctx.sameClause(r.span, topic)) continue;
    const d = ctx.distance(r.span, topic);
    if (d > TARGET_WINDOW) continue;
    if (r.span.end <= topic.start) {
      if (!before || d < before.d) before = { d, competitor: r.competitor };
    } else if (!after || d < after.d) after = { d, competitor: r.competitor };
  }
  if (before ?? after) return (before ?? after)!.competitor;
  // no institution in the clause: the one named last before it in the utterance (华夏那张我上个月刚销了
  // 年费五百多 刷多少都不免 太坑了)
  let earlier: { end: number; competitor: boolean } | undefined;
  for (const r of refs)
    if (r.span.end <= topic.start && (!earlier || r.span.end > earlier.end))
      earlier = { end: r.span.end, competitor: r.competitor };
  return earlier?.competitor ?? false;
}

const QUESTION_AFTER = /^(吗|么|嘛|不)/;

/** 手续麻烦吗, 年费贵不贵: a question about the topic, not a complaint. */
function asked(ctx: UtteranceContext, cue: Span): boolean {
  return QUESTION_AFTER.test(ctx.text.slice(cue.end, cue.end + 1));
}

/**
 * A cue evaluates a topic of its own clause, or of the clause just before when its clause names no
 * topic (当时说年化百分之四，实际算下来高多了).
 */
function linkable(ctx: UtteranceContext, topic: Span, cue: Span): boolean {
  if (ctx.sameClause(topic, cue)) return true;
  const cueClause = ctx.clauseAt(cue.start);
  if (cueClause !== ctx.clauseAt(topic.start) + 1) return false;
  return !ctx.get('catTopic').some((t) => ctx.clauseAt(t.span.start) === cueClause);
}

/** Is a complaint term or pattern match at `span` meant (not negated, not hypothetical)? */
export function isAsserted(ctx: UtteranceContext, span: Span): boolean {
  // a pattern can be negated inside (理财...不想亏本): look at its last element too, except for
  // negations that are elements of the pattern (不要再给我发短信)
  const elements = ctx.patternElements.get(span);
  const last = elements?.[elements.length - 1];
  if (elements && last && ctx.isNegated(last, false, elements)) return false;
  // a threat carries its own condition (要是还这样 我就...): a pattern ending in a consequent is meant
  const threat = last !== undefined && ctx.lexicon.consequents.includes(ctx.text.slice(last.start, last.end));
  return !ctx.isNegated(span) && !ctx.isUnreal(span) && (threat || !ctx.isHypothetical(span));
}

/** Is a complaint signal meant and about the home bank? One meant about a rival is noted in `rivals`. */
function counts(
  ctx: UtteranceContext,
  span: Span,
  topic: Span,
  mentions: readonly Mention[],
  priorRival: boolean,
  rivals?: { category: ComplaintCategory; span: Span }[],
  category?: ComplaintCategory,
): boolean {
  if (!isAsserted(ctx, span)) return false;
  if (!aboutCompetitor(ctx, topic, mentions, priorRival)) return true;
  if (rivals && category) rivals.push({ category, span });
  return false;
}

/** Complaint categories, generic dissatisfaction and escalation signals of one customer utterance. */
export function detectComplaints(
  ctx: UtteranceContext,
  mentions: readonly Mention[],
  priorRival = false,
): ComplaintFindings {
  if (!ctx.has('catTerm') && !ctx.has('catTopic') && !ctx.has('trigger') && !ctx.has('escalation')) {
    return { categories: [], triggers: [], escalations: [] };
  }
  const { complaints } = ctx.lexicon.data;
  const categories: CategoryFinding[] = [];
  const aboutRivals: { category: ComplaintCategory; span: Span }[] = [];
  const seen = (category: ComplaintCategory, span: Span): boolean =>
    categories.some((f) => f.label === category && overlaps(f.span, span));

  for (const t of ctx.get('catTerm')) {
    // 必须去网点吗: asking whether the rule applies, not finding fault with it
    if (asked(ctx, t.span)) continue;
    if (
      counts(ctx, t.span, t.span, mentions, priorRival, aboutRivals, t.role.category) &&
      !seen(t.role.category, t.span)
    )
      categories.push({
        label: t.role.category,
        ctx,
        span: t.span,
        judged: !STATE_CATEGORIES.has(t.role.category),
      });
  }
  // triggers (太差了, 坑人) also evaluate a topic: 客服态度太差了 is service_attitude
  // (term triggers only: a structural pattern like 说好的...结果 says nothing about the topic)
  const negative = [
    ...ctx.get('negCue'),
    ...ctx.get('trigger').filter((t) => !ctx.patternElements.has(t.span)),
  ];
  const own = ctx.get('catCue');
  const topics = ctx.get('catTopic');
  for (const topic of topics) {
    const category = topic.role.category;
    const window =
      complaints.categories[category as keyof typeof complaints.categories]?.window ?? complaints.window;
    const cues = [...negative, ...own.filter((c) => c.role.category === category)];
    for (const cue of cues) {
      if (overlaps(cue.span, topic.span) || !linkable(ctx, topic.span, cue.span)) continue;
      const d = ctx.distance(cue.span, topic.span);
      if (d > window || ctx.isNegated(cue.span) || asked(ctx, cue.span)) continue;
      // a cue evaluates its nearest topic: 跨行转账手续费这么高 is about the fee, not the transfer
      const shared = cue.role.kind !== 'catCue';
      if (
        shared &&
        topics.some(
          (t) =>
            t.role.category !== category && !overlaps(t.span, cue.span) && ctx.distance(cue.span, t.span) < d,
        )
      )
        continue;
      const span = cover(topic.span, cue.span);
      if (counts(ctx, span, topic.span, mentions, priorRival, aboutRivals, category) && !seen(category, span))
        // a shared negative cue (太贵, 乱) judges; a category's own cue (又收了, 一个小时) may only describe
        categories.push({ label: category, ctx, span, judged: cue.role.kind !== 'catCue' });
      break;
    }
  }
  const triggers: Finding<'other'>[] = [];
  for (const t of ctx.get('trigger')) {
    if (counts(ctx, t.span, t.span, mentions, priorRival))
      triggers.push({ label: 'other', ctx, span: t.span });
  }
  const escalations: (Finding<Escalation> & { weak: boolean })[] = [];
  for (const e of ctx.get('escalation')) {
    if (ctx.isNegated(e.span)) continue;
    escalations.push({ label: e.role.escalation, ctx, span: e.span, weak: e.role.weak });
  }
  return { categories, triggers, escalations, aboutRivals };
}
