import type { LifeEvent } from '../../../domain/labels.js';
import type { UtteranceContext } from '../context/utterance-context.js';
import type { Finding } from './finding.js';

/** Life events of one customer utterance: not negated (我还没结婚), not hypothetical (如果买房的话). */
export function detectLifeEvents(ctx: UtteranceContext): Finding<LifeEvent>[] {
  const found: Finding<LifeEvent>[] = [];
  if (!ctx.has('lifeTerm')) return found;
  for (const h of ctx.get('lifeTerm')) {
    if (ctx.isNegated(h.span) || ctx.isHypothetical(h.span)) continue;
    if (found.some((f) => f.label === h.role.event)) continue;
    found.push({ label: h.role.event, ctx, span: h.span });
  }
  return found;
}
