import nodejieba from 'nodejieba';
import * as OpenCC from 'opencc-js';

/** Splits text into words. The service passes its own (jieba with the domain dictionary). */
export type Segmenter = (text: string) => string[];

/**
 * nodejieba with HMM new-word discovery, using whatever dictionaries the process loaded
 * (nodejieba is process-global: the analysis engine's user dictionary applies here too).
 */
export const jiebaSegmenter: Segmenter = (text) => nodejieba.cut(text, true);

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

/** Separator between utterances: a full stop, so no word spans two utterances. */
const UTTERANCE_SEPARATOR = '。';

/** Simplified, half-width (NFKC), lower case, whitespace runs collapsed. */
export function normaliseForClassifier(text: string): string {
  return toSimplified(text.normalize('NFKC')).toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * The model input for one conversation (or one utterance): the customer's utterances, normalised,
 * segmented and joined with single spaces, utterances separated by 。. The trainer builds its inputs
 * with this function, so the service must too (with the same segmentation dictionary) for the
 * scores to mean what the dev metrics say. Returns '' when there is no customer text.
 */
export function toClassifierText(
  customerTexts: readonly string[],
  segment: Segmenter = jiebaSegmenter,
): string {
  const parts: string[] = [];
  for (const raw of customerTexts) {
    const text = normaliseForClassifier(raw);
    if (text === '') continue;
    const tokens = segment(text)
      .map((t) => t.trim())
      .filter((t) => t !== '');
    if (tokens.length === 0) continue;
    if (parts.length > 0) parts.push(UTTERANCE_SEPARATOR);
    parts.push(...tokens);
  }
  return parts.join(' ');
}
