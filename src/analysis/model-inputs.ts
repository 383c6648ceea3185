import type { Conversation } from '../domain/conversation.js';

/** Separator between utterances of a customer side: a full stop, so no word spans two utterances. */
const UTTERANCE_SEPARATOR = '。';

export interface ModelInputs {
  /** one text per customer utterance that has words: its index and its space-joined tokens */
  utterances: { index: number; text: string }[];
  /** the whole customer side (two or more utterances), for tone */
  side?: string;
}

/**
 * The utterance model's inputs, built from the words the pipeline already segmented for indexing
 * (normalised: Simplified, half-width, lower case, fillers dropped), so the model costs no second
 * segmentation. Training builds its inputs with this same function from the same pipeline, so the
 * scores mean what the dev numbers say only with the dictionary the model was trained with.
 */
export function modelInputs(conversation: Conversation, tokens: readonly (readonly string[])[]): ModelInputs {
  const utterances: ModelInputs['utterances'] = [];
  conversation.utterances.forEach((u, index) => {
    if (u.speaker !== 'customer') return;
    const words = tokens[index] ?? [];
    if (words.length > 0) utterances.push({ index, text: words.join(' ') });
  });
  if (utterances.length < 2) return { utterances };
  return { utterances, side: utterances.map((u) => u.text).join(` ${UTTERANCE_SEPARATOR} `) };
}
