import type { Tag } from '../domain/tag.js';
import type { OfferDefinition } from './catalog.js';

const DAY = 86_400_000;

const VIA: Record<string, string> = {
  call: '来电',
  chat: '在线咨询时',
};

/** When and where the customer said it, in Chinese: 「3天前来电」「今天在线咨询时」「本次通话中」. */
function when(at: string, channel: string, now: number, live: boolean): string {
  if (live) return channel === 'chat' ? '在本次咨询中' : '在本次通话中';
  const days = Math.floor((now - Date.parse(at)) / DAY);
  const ago = days <= 0 ? '今天' : days === 1 ? '昨天' : `${days}天前`;
  return `${ago}${VIA[channel] ?? '联系时'}`;
}

/**
 * The reason an agent reads: the customer's own words from the tag's evidence (redacted as stored),
 * then the offer. Without personalisation (PIPL art. 24 opt-out) nothing the customer said is used.
 */
export function reasonFor(
  offer: OfferDefinition,
  trigger: { tag: Tag; live: boolean } | undefined,
  now: number,
  personalised: boolean,
): string {
  const pitch = `推荐「${offer.name}」：${offer.pitch}`;
  if (!personalised) return `通用推荐（客户已拒绝个性化营销，不引用对话内容）。${pitch}`;
  const evidence = trigger?.tag.evidence.find((e) => e.speaker === 'customer') ?? trigger?.tag.evidence[0];
  if (!trigger || !evidence) return `${offer.kind === 'sale' ? '通用推荐' : '服务关怀'}。${pitch}`;
  return `客户${when(evidence.at, evidence.channel, now, trigger.live)}提到"${evidence.quote}"。${pitch}`;
}
