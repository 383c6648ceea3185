import {
  emptyAnalysis,
  type Analysis,
  type CompetitorMention,
  type Evidence,
} from '../../domain/analysis.js';
import type { ComplaintCategory, Escalation, LifeEvent, Need } from '../../domain/labels.js';
import type { Mention } from './detectors/competitors.js';
import type { ComplaintFindings } from './detectors/complaints.js';
import type { Finding } from './detectors/finding.js';
import type { NeedFindings } from './detectors/needs.js';

/** Everything found in the customer utterances of one conversation. */
export interface ConversationFindings {
  mentions: Mention[];
  complaints: ComplaintFindings;
  needs: NeedFindings;
  lifeEvents: Finding<LifeEvent>[];
  /** some customer utterance is negative in its own words (complaint signals aside), or nobody answers */
  upset: boolean;
  /** where the customer last praised or said they are satisfied, as `order` ranks findings (-1: never) */
  lastPraise: number;
}

/** A place in the conversation, comparable across utterances: utterance, then offset in it. */
export const placeOf = (utterance: number, offset: number): number => utterance * 100000 + offset;

/** A finding's place in the conversation. */
export const order = (f: { ctx: { index: number }; span: { start: number } }): number =>
  placeOf(f.ctx.index, f.span.start);

/**
 * A call made to praise or to say a problem was put right (想表扬一下你们的大堂经理, 钱退回来了 处理得不错)
 * tells of the problem it praises the fix of: no complaint, when every complaint signal comes at or
 * before the last praise and none threatens anything.
 */
export function praiseCall(found: ConversationFindings): boolean {
  const c = found.complaints;
  if (found.lastPraise < 0 || c.escalations.length > 0) return false;
  // a signal counts as told before the praise when it ends before it (年化利率标出来了 这点要表扬。就是
  // 年化14.6%还是有点高: the topic starts before the praise, its judgement comes after)
  return [...c.categories, ...c.triggers].every((f) => placeOf(f.ctx.index, f.span.end) <= found.lastPraise);
}

const MAX_EVIDENCE_PER_LABEL = 3;

function nothingFound(f: ConversationFindings): boolean {
  const c = f.complaints;
  return (
    f.mentions.length === 0 &&
    c.categories.length === 0 &&
    c.triggers.length === 0 &&
    c.escalations.length === 0 &&
    f.needs.needs.length === 0 &&
    f.needs.declined.length === 0 &&
    f.lifeEvents.length === 0
  );
}

function evidenceOf(label: string, findings: readonly Finding[]): Evidence[] {
  const out: Evidence[] = [];
  for (const f of findings) {
    const { start, end } = f.ctx.original(f.span);
    if (out.some((e) => e.utterance === f.ctx.index && e.start === start && e.end === end)) continue;
    out.push({ label, utterance: f.ctx.index, start, end });
    if (out.length === MAX_EVIDENCE_PER_LABEL) break;
  }
  return out;
}

function byLabel<L extends string>(findings: readonly Finding<L>[]): Map<L, Finding<L>[]> {
  const map = new Map<L, Finding<L>[]>();
  for (const f of findings) {
    const list = map.get(f.label);
    if (list) list.push(f);
    else map.set(f.label, [f]);
  }
  return map;
}

/** Turn findings into the contract's Analysis (taxonomy.md), every label with its evidence. */
export function aggregate(id: string, found: ConversationFindings, sentiment: number): Analysis {
  if (nothingFound(found)) return { ...emptyAnalysis(id), sentiment: { customer: sentiment } };
  const evidence: Evidence[] = [];
  const { complaints } = found;

  const categories = byLabel(complaints.categories);
  const strongEscalation = complaints.escalations.some((e) => !e.weak);
  // A problem reported calmly (卡被吞了, 登不进去, 这个月怎么扣了两块钱) with no word of displeasure anywhere
  // is a service request, not a complaint (taxonomy.md: dissatisfaction is expressed); so is a fraud
  // reported calmly (不是我刷的, 帮我挂失). Words that judge (太贵, 乱扣费) keep it a complaint.
  const calmReport =
    !found.upset &&
    complaints.triggers.length === 0 &&
    complaints.escalations.length === 0 &&
    complaints.categories.every((f) => !f.judged);
  const praised = praiseCall(found);
  if (calmReport || praised) categories.clear();
  const is = categories.size > 0 || (!praised && complaints.triggers.length > 0) || strongEscalation;
  const categoryList: ComplaintCategory[] = [...categories.keys()];
  for (const [c, fs] of categories) evidence.push(...evidenceOf(`complaint:${c}`, fs));
  if (is && categoryList.length === 0) {
    categoryList.push('other');
    const basis = complaints.triggers.length > 0 ? complaints.triggers : complaints.escalations;
    evidence.push(...evidenceOf('complaint:other', basis));
  }
  const escalations = byLabel(complaints.escalations);
  const escalationList: Escalation[] = is ? [...escalations.keys()] : [];
  if (is) for (const [e, fs] of escalations) evidence.push(...evidenceOf(`escalation:${e}`, fs));

  const competitors: CompetitorMention[] = [];
  const mentionsById = new Map<string, Mention[]>();
  for (const m of found.mentions) {
    const list = mentionsById.get(m.id);
    if (list) list.push(m);
    else mentionsById.set(m.id, [m]);
  }
  for (const [cid, ms] of mentionsById) {
    const aspects = new Set(ms.flatMap((m) => [...m.aspects]));
    const first = ms[0] as Mention;
    competitors.push({
      id: first.id,
      aspects: [...aspects].sort(),
      switchingIntent: ms.some((m) => m.switching !== undefined),
    });
    evidence.push(
      ...evidenceOf(
        `competitor:${cid}`,
        ms.map((m) => ({ label: cid, ctx: m.ctx, span: m.span })),
      ),
    );
  }

  // the customer's last word on a product wins: 想了解一下信用卡...算了不需要 is a decline
  const last = new Map<Need, { declined: boolean; at: number }>();
  for (const f of found.needs.needs)
    if ((last.get(f.label)?.at ?? -1) < order(f)) last.set(f.label, { declined: false, at: order(f) });
  for (const f of found.needs.declined)
    if ((last.get(f.label)?.at ?? -1) < order(f)) last.set(f.label, { declined: true, at: order(f) });
  const needs = [...last].filter(([, v]) => !v.declined).map(([n]) => n);
  const declinedNeeds = [...last].filter(([, v]) => v.declined).map(([n]) => n);
  const needFindings = byLabel(found.needs.needs);
  const declinedFindings = byLabel(found.needs.declined);
  for (const n of needs) evidence.push(...evidenceOf(`need:${n}`, needFindings.get(n) ?? []));
  for (const n of declinedNeeds)
    evidence.push(...evidenceOf(`declinedNeed:${n}`, declinedFindings.get(n) ?? []));

  const life = byLabel(found.lifeEvents);
  for (const [e, fs] of life) evidence.push(...evidenceOf(`lifeEvent:${e}`, fs));

  evidence.sort((a, b) => a.utterance - b.utterance || a.start - b.start);
  return {
    id,
    complaint: { is, categories: categoryList, escalation: escalationList },
    competitors,
    needs,
    declinedNeeds,
    lifeEvents: [...life.keys()],
    sentiment: { customer: sentiment },
    evidence,
  };
}
