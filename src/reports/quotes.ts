/**
 * Representative quotes: what customers say about a competitor, grouped by what they talk about, and
 * the most typical sentence of each group rather than the first N found.
 *
 * Candidates are the customer sentences the analysis names the competitor in (its evidence). A
 * sentence's group is the first aspect whose word it contains (利率, 年费, 额度, APP...); without
 * one, `switching` when the customer moves business there in that conversation, else `mention`.
 * Groups are taken largest first, one quote each, then a second round; within a group the quote is
 * the sentence whose length is closest to the group's median (the long rant and the bare name are
 * both untypical), ties broken by conversation id so the choice is stable.
 */
import type { CompetitorId } from '../domain/labels.js';
import type { ProcessedConversation } from '../domain/processed-conversation.js';
import { redactText } from '../pipeline/redact/index.js';
import type { ReportVocabulary } from './vocabulary.js';

export interface Quote {
  conversationId: string;
  /** Index of the utterance in the conversation. */
  utterance: number;
  /** The customer's sentence, redacted. */
  text: string;
  /** What it is about: an aspect id, `switching` or `mention`. */
  group: string;
  /** How many sentences of the period fall in that group. */
  groupSize: number;
}

export const MAX_QUOTES = 6;
const MAX_QUOTE_CHARS = 160;

interface Candidate {
  conversationId: string;
  utterance: number;
  text: string;
  group: string;
}

/** Customer sentences naming `id` in these conversations, each with its group. */
export function quoteCandidates(
  id: CompetitorId,
  docs: readonly ProcessedConversation[],
  vocabulary: ReportVocabulary,
): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const doc of docs) {
    const c = doc.conversation;
    const mention = doc.analysis.competitors.find((m) => m.id === id);
    const utterances = new Set(
      doc.analysis.evidence.filter((e) => e.label === `competitor:${id}`).map((e) => e.utterance),
    );
    for (const i of [...utterances].sort((a, b) => a - b)) {
      const u = c.utterances[i];
      if (u === undefined || u.speaker !== 'customer') continue;
      const text = redactText(u.text.trim()).text.slice(0, MAX_QUOTE_CHARS);
      const key = text.replace(/[\s，。,.!！?？、]/gu, '');
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      const aspect = vocabulary.aspectTerms.find(([, terms]) => terms.some((t) => text.includes(t)))?.[0];
      const group = aspect ?? (mention?.switchingIntent ? 'switching' : 'mention');
      out.push({ conversationId: c.id, utterance: i, text, group });
    }
  }
  return out;
}

/** Picks up to `max` quotes: groups largest first, the median-length sentence of each, round by round. */
export function pickQuotes(candidates: readonly Candidate[], max = MAX_QUOTES): Quote[] {
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  const ordered = [...groups.entries()]
    .map(([group, items]) => {
      const lengths = items.map((i) => [...i.text].length).sort((a, b) => a - b);
      const median = lengths[Math.floor((lengths.length - 1) / 2)] ?? 0;
      const typical = [...items].sort(
        (a, b) =>
          Math.abs([...a.text].length - median) - Math.abs([...b.text].length - median) ||
          (a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0) ||
          a.utterance - b.utterance,
      );
      return { group, typical };
    })
    .sort((a, b) => b.typical.length - a.typical.length || (a.group < b.group ? -1 : 1));
  const quotes: Quote[] = [];
  for (let round = 0; quotes.length < max; round++) {
    let added = false;
    for (const g of ordered) {
      const c = g.typical[round];
      if (c === undefined || quotes.length >= max) continue;
      quotes.push({ ...c, groupSize: g.typical.length });
      added = true;
    }
    if (!added) break;
  }
  return quotes;
}
