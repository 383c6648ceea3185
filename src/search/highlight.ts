import type { Utterance } from '../domain/conversation.js';
import { foldText } from '../pipeline/normalise/char-fold.js';
import type { NearPair, ParsedQuery } from './query-parser.js';

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
  return highlightMatches(utterances, queryTokens, [], maxUtterances, scope);
}

/**
 * Highlights a parsed query: its words anywhere, its NEAR pairs only where both sides occur within
 * the distance in one utterance. Matching folds both sides as indexing does (Traditional to
 * Simplified, full-width, case), so 年費 in the transcript is marked for the query 年费.
 */
export function highlightQuery(
  utterances: Utterance[],
  parsed: ParsedQuery,
  maxUtterances = 5,
): HighlightedUtterance[] {
  const strip = (w: string): string => w.replace(/\s+/gu, '');
  const words = (parsed.words ?? parsed.highlight).map(strip);
  const near = (parsed.near ?? []).map((p) => ({ ...p, left: strip(p.left), right: strip(p.right) }));
  return highlightMatches(utterances, words, near, maxUtterances, parsed.scope);
}

function occurrences(haystack: string, needle: string): number[] {
  const out: number[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length))
    out.push(at);
  return out;
}

/** Index units in a stretch of text: a Latin or digit run is one, any other non-space character one. */
function unitsIn(text: string): number {
  return text.match(/[a-z0-9]+|[^a-z0-9\s\p{P}]/gu)?.length ?? 0;
}

function nearSpans(haystack: string, pair: NearPair): [number, number][] {
  const spans: [number, number][] = [];
  const lefts = occurrences(haystack, pair.left);
  const rights = occurrences(haystack, pair.right);
  for (const l of lefts) {
    for (const r of rights) {
      const [firstEnd, second] = l <= r ? [l + pair.left.length, r] : [r + pair.right.length, l];
      if (second < firstEnd) continue;
      if (unitsIn(haystack.slice(firstEnd, second)) > pair.distance) continue;
      spans.push([l, l + pair.left.length], [r, r + pair.right.length]);
    }
  }
  return spans;
}

function highlightMatches(
  utterances: Utterance[],
  words: string[],
  near: NearPair[],
  maxUtterances: number,
  scope: 'all' | 'customer' | 'agent',
): HighlightedUtterance[] {
  const fold = (t: string): string => foldText(t);
  const needles = [...new Set(words.map(fold).filter((t) => t.trim() !== ''))];
  const pairs = near
    .map((p) => ({ ...p, left: fold(p.left), right: fold(p.right) }))
    .filter((p) => p.left !== '' && p.right !== '');
  if (needles.length === 0 && pairs.length === 0) return [];
  const out: HighlightedUtterance[] = [];
  utterances.forEach((u, index) => {
    if (out.length >= maxUtterances) return;
    if (scope !== 'all' && u.speaker !== scope) return;
    // foldText keeps the length, so offsets in the folded text are offsets in the original.
    const haystack = fold(u.text);
    const spans: [number, number][] = [];
    for (const needle of needles) {
      for (const at of occurrences(haystack, needle)) spans.push([at, at + needle.length]);
    }
    for (const pair of pairs) spans.push(...nearSpans(haystack, pair));
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
