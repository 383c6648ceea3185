import type { Analysis } from '../domain/analysis.js';
import type { Conversation } from '../domain/conversation.js';
import { COMPLAINT_CATEGORIES, type ComplaintCategory } from '../domain/labels.js';
import type { LabelScore } from '../ml/classifier.js';

/**
 * How rules and model combine. The rules decide every label and its evidence span: they are
 * speaker-, negation- and hypothetical-aware and precise on the dev split. The model's one job is
 * recall on complaint detection, where customers phrase dissatisfaction in more ways than any term
 * list holds (「打了一上午电话都转不到人工」, 「每次都登入不了 很煩」): when the rules found no complaint and
 * the model is very confident about one customer utterance, that utterance becomes a complaint, with
 * the model's category only when that too is confident, otherwise `other`.
 */
export const MODEL_COMPLAINT_THRESHOLD = 0.9;
export const MODEL_CATEGORY_THRESHOLD = 0.6;
/**
 * The model alone over-fires on neutral questions (「麻烦讲讲住房按揭」 scored 0.97 on the dev split), so it
 * only counts where the rules' own sentiment of that utterance is negative too.
 */
export const NEGATIVE_SENTIMENT = -0.2;

const CATEGORY_LABELS = new Set<string>(COMPLAINT_CATEGORIES.map((c) => `complaint:${c}`));

/** `scores[i]` are the model's scores for the i-th entry of `utteranceIndexes`. */
export function combineWithModel(
  analysis: Analysis,
  conversation: Conversation,
  utteranceIndexes: number[],
  scores: LabelScore[][],
  utteranceSentiment: (number | null)[],
): Analysis {
  if (analysis.complaint.is) return analysis;
  let best: { utterance: number; score: number; category: ComplaintCategory } | undefined;
  scores.forEach((labelScores, i) => {
    const complaint = labelScores.find((s) => s.label === 'complaint')?.score ?? 0;
    if (complaint < MODEL_COMPLAINT_THRESHOLD || (best && best.score >= complaint)) return;
    if ((utteranceSentiment[utteranceIndexes[i]!] ?? 0) > NEGATIVE_SENTIMENT) return;
    const topCategory = labelScores
      .filter((s) => CATEGORY_LABELS.has(s.label))
      .sort((a, b) => b.score - a.score)[0];
    const category =
      topCategory && topCategory.score >= MODEL_CATEGORY_THRESHOLD
        ? (topCategory.label.slice('complaint:'.length) as ComplaintCategory)
        : 'other';
    best = { utterance: utteranceIndexes[i]!, score: complaint, category };
  });
  if (!best) return analysis;
  const text = conversation.utterances[best.utterance]?.text ?? '';
  return {
    ...analysis,
    complaint: { ...analysis.complaint, is: true, categories: [best.category] },
    evidence: [
      ...analysis.evidence,
      { label: `complaint:${best.category}`, utterance: best.utterance, start: 0, end: text.length },
    ],
  };
}
