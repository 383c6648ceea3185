/**
 * What customers talk about in a search result beyond the labels: words of customer utterances that
 * are over-represented in the result against all conversations of the same period ("top", the
 * significant_terms idea with the JLH score), and words whose share of the result rose against the
 * previous period ("rising", tested with the reports' rule: conditional binomial test with the
 * conversations as exposure, Holm across the candidates). Pure functions over documents, so both
 * stores give the same answer for the same documents.
 */
import type { ProcessedConversation } from '../domain/processed-conversation.js';
import { holm, riseTest } from '../reports/significance.js';

export interface TopPhrase {
  phrase: string;
  /** Conversations of the result sample whose customer says it. */
  count: number;
  /** count / result sample size. */
  share: number;
  /** The same share among all conversations of the period (sample). */
  backgroundShare: number;
}

export interface RisingPhrase {
  phrase: string;
  count: number;
  previous: number;
  pValue: number;
  significant: boolean;
}

/** Words that say nothing about the topic on their own (greetings, pronouns, fillers). */
const STOP = new Set(
  (
    '你好 您好 你们 我们 他们 这个 那个 什么 怎么 一下 可以 就是 没有 现在 然后 还是 已经 不是 知道 ' +
    '一个 这样 为什么 时候 还有 但是 如果 因为 所以 谢谢 好的 是的 请问 对的 不会 不能 这边 那边 ' +
    '这么 那么 需要 一样 自己 而且 的话 还要 不要 帮我 一直 怎么办 问题 东西 情况 今天 昨天 明天'
  ).split(' '),
);

/** Topic words of the customer's utterances: two or more characters, not digits or masks. */
export function customerWords(doc: ProcessedConversation): Set<string> {
  const words = new Set<string>();
  doc.conversation.utterances.forEach((u, i) => {
    if (u.speaker !== 'customer') return;
    for (const token of doc.tokens[i] ?? []) {
      const word = token.trim().toLowerCase();
      if (Array.from(word).length < 2 || STOP.has(word)) continue;
      if (/^[\d*.,%\s]+$/u.test(word) || /\*/u.test(word) || /^[\p{P}\p{S}]+$/u.test(word)) continue;
      words.add(word);
    }
  });
  return words;
}

function documentFrequencies(docs: readonly ProcessedConversation[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const doc of docs) for (const w of customerWords(doc)) df.set(w, (df.get(w) ?? 0) + 1);
  return df;
}

/**
 * Words over-represented in the result: JLH score (share − background share) × (share /
 * background share), at least `minCount` conversations, best first.
 */
export function topPhrases(
  result: readonly ProcessedConversation[],
  background: readonly ProcessedConversation[],
  limit = 15,
  minCount = 2,
): TopPhrase[] {
  if (result.length === 0) return [];
  const fg = documentFrequencies(result);
  const bg = documentFrequencies(background);
  const bgSize = Math.max(background.length, 1);
  const scored: (TopPhrase & { score: number })[] = [];
  for (const [phrase, count] of fg) {
    if (count < minCount) continue;
    const share = count / result.length;
    // a word the background sample never saw counts as seen once: no division by zero
    const backgroundShare = Math.max(bg.get(phrase) ?? 0, 1) / bgSize;
    if (share <= backgroundShare) continue;
    const score = (share - backgroundShare) * (share / backgroundShare);
    scored.push({ phrase, count, share, backgroundShare: (bg.get(phrase) ?? 0) / bgSize, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || b.count - a.count || (a.phrase < b.phrase ? -1 : 1))
    .slice(0, limit)
    .map(({ score: _score, ...rest }) => rest);
}

/** Words whose share of the result rose against the previous period, significant ones first. */
export function risingPhrases(
  current: readonly ProcessedConversation[],
  previous: readonly ProcessedConversation[],
  limit = 10,
  minCount = 2,
): RisingPhrase[] {
  if (current.length === 0 || previous.length === 0) return [];
  const now = documentFrequencies(current);
  const before = documentFrequencies(previous);
  const candidates = [...now]
    .filter(([, count]) => count >= minCount)
    .map(([phrase, count]) => {
      const prev = before.get(phrase) ?? 0;
      const test = riseTest(count, current.length, prev, previous.length);
      return { phrase, count, previous: prev, pValue: test.pValue ?? 1, rose: test.rose };
    })
    .filter((c) => c.rose);
  const significant = holm(candidates.map((c) => c.pValue));
  return candidates
    .map(({ rose: _rose, ...c }, i) => ({ ...c, significant: significant[i] === true }))
    .sort((a, b) => a.pValue - b.pValue || b.count - a.count || (a.phrase < b.phrase ? -1 : 1))
    .slice(0, limit);
}
