/**
 * The tokenizer of the exported model, as Hugging Face tokenizer.json / tokenizer_config.json.
 *
 * Why WordPiece and not WordLevel: transformers.js 2.17 has no WordLevel model (it falls back to a
 * "legacy" model that maps whole pre-tokens), so a jieba word missing from the vocabulary would be
 * lost. WordPiece with every jieba word of the training corpus plus every CJK character (and "##"
 * continuation forms) is a WordLevel over jieba tokens for known words, and splits an unknown word
 * greedily into the longest known pieces (an unknown 年费太贵 becomes 年费 ##太 ##贵). The same
 * greedy longest match also segments unsegmented text, so the model degrades gracefully when a
 * caller forgets to pre-segment. The pre-tokenizer (BertPreTokenizer) splits on whitespace and
 * punctuation, so space-joined jieba tokens arrive as the pre-tokens.
 */
export const PAD = '[PAD]';
export const UNK = '[UNK]';
export const CLS = '[CLS]';
export const SEP = '[SEP]';
export const SPECIAL_TOKENS = [PAD, UNK, CLS, SEP] as const;
export const CONTINUATION = '##';
/** Longer pre-tokens become [UNK] (the greedy match is cubic in the length). */
export const MAX_CHARS_PER_WORD = 200;
/** Characters always in the vocabulary: CJK Unified Ideographs, printable ASCII. */
const CHAR_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x4e00, 0x9fff],
  [0x21, 0x7e],
];

/** Token strings in id order: specials, then each word and character with its "##" form. */
export function buildVocabulary(words: Iterable<string>, extraChars: Iterable<string> = []): string[] {
  const seen = new Set<string>(SPECIAL_TOKENS);
  const vocab: string[] = [...SPECIAL_TOKENS];
  const add = (piece: string): void => {
    for (const form of [piece, CONTINUATION + piece]) {
      if (!seen.has(form)) {
        seen.add(form);
        vocab.push(form);
      }
    }
  };
  for (const [from, to] of CHAR_RANGES) {
    for (let cp = from; cp <= to; cp++) add(String.fromCodePoint(cp));
  }
  for (const ch of extraChars) add(ch);
  for (const w of words) add(w);
  return vocab;
}

/** The canonical text of a token: its "##" prefix removed; special tokens have none. */
export function canonicalPiece(token: string): string | null {
  if ((SPECIAL_TOKENS as readonly string[]).includes(token)) return null;
  return token.startsWith(CONTINUATION) ? token.slice(CONTINUATION.length) : token;
}

export interface TokenizerFiles {
  tokenizer: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
}

export function buildTokenizerFiles(vocab: readonly string[], maxLength: number): TokenizerFiles {
  const vocabMap: Record<string, number> = {};
  vocab.forEach((token, id) => (vocabMap[token] = id));
  const idOf = (t: string): number => vocabMap[t] ?? -1;
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: idOf(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Lowercase' }] },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: CLS, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: SEP, type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: CLS, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: SEP, type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: SEP, type_id: 1 } },
      ],
      special_tokens: Object.fromEntries([CLS, SEP].map((t) => [t, { id: t, ids: [idOf(t)], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: CONTINUATION, cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: UNK,
      continuing_subword_prefix: CONTINUATION,
      max_input_chars_per_word: MAX_CHARS_PER_WORD,
      vocab: vocabMap,
    },
  };
  const tokenizerConfig = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    model_max_length: maxLength,
    pad_token: PAD,
    unk_token: UNK,
    cls_token: CLS,
    sep_token: SEP,
    do_lower_case: true,
    clean_up_tokenization_spaces: true,
  };
  return { tokenizer, tokenizerConfig };
}
