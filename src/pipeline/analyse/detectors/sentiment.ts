import type { UtteranceContext } from '../context/utterance-context.js';

const COMPLAINT_WEIGHT = -0.6;
const EXCLAMATION = /[!！]/;

/**
 * Sentiment of one customer utterance in -1..1: lexicon weights (negated words flip and halve, an
 * intensifier right before multiplies), each complaint signal counts negative, an exclamation mark
 * strengthens a negative sum. tanh keeps it in range.
 */
export function utteranceSentiment(ctx: UtteranceContext, complaintSignals: number): number {
  if (complaintSignals === 0 && !ctx.has('sentiment')) return 0;
  const intensifiers = ctx.get('intensifier');
  let sum = complaintSignals * COMPLAINT_WEIGHT;
  for (const s of ctx.get('sentiment')) {
    let w = s.role.weight;
    const boost = intensifiers.find((i) => i.span.end <= s.span.start && ctx.gap(i.span, s.span) <= 0);
    if (boost) w *= boost.role.factor;
    if (ctx.isNegated(s.span)) w *= -0.5;
    sum += w;
  }
  if (sum < 0 && EXCLAMATION.test(ctx.norm.original)) sum *= ctx.lexicon.data.sentiment.exclamation;
  return Math.round(Math.tanh(sum) * 100) / 100;
}

/** Conversation score: mean of the customer utterances that carry sentiment, the last one twice. */
export function conversationSentiment(scores: readonly (number | null)[]): number {
  let total = 0;
  let weight = 0;
  let last = -1;
  scores.forEach((s, i) => {
    if (s !== null && s !== 0) last = i;
  });
  scores.forEach((s, i) => {
    if (s === null || s === 0) return;
    const w = i === last ? 2 : 1;
    total += s * w;
    weight += w;
  });
  return weight === 0 ? 0 : Math.round((total / weight) * 100) / 100;
}
