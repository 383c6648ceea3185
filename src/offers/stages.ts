import type { StageVerdict } from '../domain/offer.js';
import type { Tag } from '../domain/tag.js';
import type { OfferDefinition } from './catalog.js';
import { contactPolicyVerdict, declinedRecently, type PolicyContext } from './contact-policy.js';
import { evaluate, type ExprContext } from './expression.js';
import type { ContactPolicyConfig } from './catalog.js';

/** Everything the per-offer stages look at. */
export interface StageContext {
  expr: ExprContext;
  /** Active tags by key (profile and live conversation); `live` marks the live conversation's. */
  tags: Map<string, { tag: Tag; live: boolean }>;
  complaintOpen: boolean;
  holdings: ReadonlySet<string>;
  policy: PolicyContext;
  policyConfig: ContactPolicyConfig;
}

export interface OfferStages {
  verdicts: StageVerdict[];
  /** All four stages passed: the offer goes to arbitration. */
  pass: boolean;
  /** Tag keys that made eligibility or context true (quoted by the reason). */
  found: string[];
  context: number;
}

const names = (keys: string[]): string => [...new Set(keys)].join('、');

/**
 * Eligibility → applicability → suitability → contact policy for one offer. Every stage is evaluated
 * even after one failed, so the explanation shows each stage's verdict; the first failure decides.
 */
export function runStages(offer: OfferDefinition, ctx: StageContext): OfferStages {
  const found: string[] = [];
  const eligible = evaluate(offer.eligibility, ctx.expr, found);
  const verdicts: StageVerdict[] = [
    {
      stage: 'eligibility',
      pass: eligible,
      why: eligible
        ? found.length
          ? `客户标签满足条件：${names(found)}`
          : '无资格限制'
        : '客户标签不满足资格条件',
    },
  ];

  const now = ctx.policy.now;
  const applicability: string[] = [];
  if (!offer.channels.includes(ctx.policy.channel))
    applicability.push(`不在渠道${ctx.policy.channel}提供（可用：${offer.channels.join('、')}）`);
  if (offer.validity?.from && now < Date.parse(offer.validity.from))
    applicability.push(`${offer.validity.from}起才生效`);
  if (offer.validity?.until && now > Date.parse(offer.validity.until))
    applicability.push(`已于${offer.validity.until}到期`);
  const owned = offer.exclusions.owns.filter((p) => ctx.holdings.has(p));
  if (owned.length) applicability.push(`客户已持有${owned.join('、')}`);
  const declined = declinedRecently(offer, ctx.policy);
  if (declined) applicability.push(declined);
  verdicts.push({
    stage: 'applicability',
    pass: applicability.length === 0,
    why: applicability.join('；') || '渠道、有效期与排除条件均满足',
  });

  const suitability: string[] = [];
  if (ctx.complaintOpen && offer.kind === 'sale')
    suitability.push('客户有未解决的投诉：先服务后营销，仅提供挽留或服务补救');
  if (offer.need && ctx.tags.has(`need_declined.${offer.need}`))
    suitability.push(`客户近期明确表示不需要（need_declined.${offer.need}）`);
  verdicts.push({
    stage: 'suitability',
    pass: suitability.length === 0,
    why: suitability.join('；') || (ctx.complaintOpen ? '投诉未解决，服务类产品可提供' : '适合当前客户状态'),
  });

  const policy = contactPolicyVerdict(offer, ctx.policy, ctx.policyConfig);
  verdicts.push({ stage: 'contact_policy', pass: policy === undefined, why: policy ?? '符合联系策略' });

  let context = 1;
  for (const rule of offer.context) if (evaluate(rule.when, ctx.expr, found)) context *= rule.weight;
  return { verdicts, pass: verdicts.every((v) => v.pass), found, context };
}

/** The tag whose evidence explains the offer: context tags first (the live conversation), then eligibility. */
export function triggerOf(
  found: string[],
  tags: StageContext['tags'],
): { key: string; tag: Tag; live: boolean } | undefined {
  const ordered = [...found].reverse();
  const preferred = ordered.find((k) => tags.get(k)?.live) ?? found.find((k) => tags.has(k));
  const hit = preferred ? tags.get(preferred) : undefined;
  return preferred && hit ? { key: preferred, ...hit } : undefined;
}
