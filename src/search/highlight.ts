import type { Utterance } from '../domain/conversation.js';

export interface HighlightedUtterance {
  utterance: number;
  speaker: Utterance['speaker'];
  text: string;
  /** [start, end) character spans in `text` that match the query. */
  spans: [number, number][];
}

/**
 * Finds the query tokens in the original utterance text. Done here, not by the store, so both
 * stores highlight identically and spans point at what the customer actually said.
 */
export function highlightUtterances(
  utterances: Utterance[],
  queryTokens: string[],
  maxUtterances = 5,
  scope: 'all' | 'customer' | 'agent' = 'all',
): HighlightedUtterance[] {
  const needles = [...new Set(queryTokens.map((t) => t.toLowerCase()).filter((t) => t.trim() !== ''))];
  if (needles.length === 0) return [];
  const out: HighlightedUtterance[] = [];
  utterances.forEach((u, index) => {
    if (out.length >= maxUtterances) return;
    if (scope !== 'all' && u.speaker !== scope) return;
    const haystack = u.text.toLowerCase();
    const spans: [number, number][] = [];
    for (const needle of needles) {
      for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) {
        spans.push([at, at + needle.length]);
      }
    }
    if (spans.length > 0)
      out.push({ utterance: index, speaker: u.speaker, text: u.text, spans: mergeSpans(spans) });
  });
  return out;
}

function mergeSpans(spans: [number, number][]): [number, number][] {
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([span[0], span[1]]);
  }
  return merged;
}
