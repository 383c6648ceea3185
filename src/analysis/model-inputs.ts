import type { Conversation } from '../domain/conversation.js';

/** Separator between utterances of a customer side: a full stop, so no word spans two utterances. */
const UTTERANCE_SEPARATOR = '。';

/**
 * What the model sees of one customer utterance: its words alone, or also the agent utterance just
 * before it (「您是想了解房贷吗」 → 「对对」), written in a character range of its own so that an
 * agent's 房贷 and a customer's 房贷 are different features of the bag.
 */
export type InputScheme = 'utterance' | 'utterance+agent';

/** CJK Unified Ideographs U+4E00–U+9FFF moved into Extension B (U+20000…), which no customer types. */
const AGENT_SHIFT = 0x20000 - 0x4e00;

/** Agent words seen, shifted (the same few thousand recur in every call); starts over when full. */
let shifted = new Map<string, string>();
const MAX_SHIFTED = 100_000;

export function agentWord(word: string): string {
  const known = shifted.get(word);
  if (known !== undefined) return known;
  if (shifted.size >= MAX_SHIFTED) shifted = new Map();
  const out = shiftWord(word);
  shifted.set(word, out);
  return out;
}

function shiftWord(word: string): string {
  let out = '';
  for (const ch of word) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0x4e00 && cp <= 0x9fff) out += String.fromCodePoint(cp + AGENT_SHIFT);
  }
  return out;
}

export interface ModelInputs {
  /** one text per customer utterance that has words: its index and its space-joined tokens */
  utterances: { index: number; text: string }[];
  /** the whole customer side (two or more utterances), for tone */
  side?: string;
}

/** The same inputs as their words (each text is its words joined by spaces). */
export interface ModelInputWords {
  utterances: { index: number; words: readonly string[] }[];
  side?: string[];
}

/**
 * The utterance model's inputs, built from the words the pipeline already segmented for indexing
 * (normalised: Simplified, half-width, lower case, fillers dropped), so the model costs no second
 * segmentation. Training builds its inputs with this same function from the same pipeline, so the
 * scores mean what the dev numbers say only with the dictionary the model was trained with.
 */
export function modelInputs(
  conversation: Conversation,
  tokens: readonly (readonly string[])[],
  scheme: InputScheme = 'utterance',
): ModelInputs {
  const words = modelInputWords(conversation, tokens, scheme);
  const utterances = words.utterances.map((u) => ({ index: u.index, text: u.words.join(' ') }));
  return words.side === undefined ? { utterances } : { utterances, side: words.side.join(' ') };
}

/**
 * What `modelInputs` gives, as words: the service hands them to the model as they are, so that the
 * texts are neither joined nor split again for token ids.
 */
export function modelInputWords(
  conversation: Conversation,
  tokens: readonly (readonly string[])[],
  scheme: InputScheme = 'utterance',
): ModelInputWords {
  const utterances: ModelInputWords['utterances'] = [];
  const own: (readonly string[])[] = [];
  conversation.utterances.forEach((u, index) => {
    if (u.speaker !== 'customer') return;
    const words = tokens[index] ?? [];
    if (words.length === 0) return;
    own.push(words);
    const before =
      index > 0 && conversation.utterances[index - 1]?.speaker === 'agent' ? tokens[index - 1] : undefined;
    const context =
      scheme === 'utterance+agent' && before ? before.map(agentWord).filter((w) => w !== '') : [];
    utterances.push({ index, words: context.length === 0 ? words : [...context, ...words] });
  });
  if (own.length < 2) return { utterances };
  const side: string[] = [];
  own.forEach((words, k) => {
    if (k > 0) side.push(UTTERANCE_SEPARATOR);
    for (const w of words) side.push(w);
  });
  return { utterances, side };
}
