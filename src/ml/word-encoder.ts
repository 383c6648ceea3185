/**
 * Token ids of pre-segmented text (space-joined jieba words), word by word through the model's own
 * transformers.js tokenizer and remembered per word. The fastText export's tokenizer (NFKC +
 * Lowercase, BertPreTokenizer, WordPiece, [CLS] $A [SEP]) treats every space-separated word on its
 * own, so the ids of a text are [CLS], each word's ids, [SEP]: the same ids the tokenizer gives the
 * whole text, at a fraction of the cost (the tokenizer's normalizer, regexes and per-text objects
 * were a third of the model's time; the same few thousand words recur in every call).
 * `createWordEncoder` checks that on sample texts and returns undefined when a tokenizer does not
 * behave so; the caller then uses the tokenizer itself.
 */

/** The slice of a transformers.js 2.17 tokenizer used here. */
export interface WordTokenizer {
  encode(text: string, pair: null, options: { add_special_tokens: boolean }): number[];
  (
    texts: string[],
    options: { padding: boolean; truncation: boolean; return_tensor: false },
  ): { input_ids: number[][] };
  model_max_length: number;
  pad_token_id: number;
  padding_side: string;
}

export interface WordEncoder {
  /** Token ids of one text, special tokens included, truncated as the tokenizer truncates. */
  encode(text: string): readonly number[];
  /**
   * The ids `encode(words.join(' '))` gives, without joining and splitting again: the engine
   * already holds the words, and splitting each text cost half of encoding it.
   */
  encodeWords(words: readonly string[]): readonly number[];
  readonly padId: number;
}

/** Words remembered at most; the cache starts over when full (a call centre's vocabulary is small). */
const MAX_CACHED_WORDS = 200_000;

/**
 * Texts the equivalence check at load runs: punctuation inside and between words, digits, Latin,
 * full-width forms, Traditional characters, agent words (Extension B), unknown words, specials.
 */
const PROBES = [
  '',
  '你好 我 想 办 信用卡',
  '年费太贵 了 。 投诉 ！',
  'app 登 不 上 3.5% 的 利率 ok?',
  'ＡＰＰ Ｔｅｓｔ ①② 國際 匯豐',
  '𠀀𠀁 𢃇 对 对',
  'a,b [CLS] [cls] x[SEP]y ##年 #',
  '  两个  空格  ',
  'ǅ é e\u0301 ﬁ ㈱',
];

export function createWordEncoder(tokenizer: WordTokenizer): WordEncoder | undefined {
  const frame = tokenizer.encode('', null, { add_special_tokens: true });
  if (frame.length !== 2 || tokenizer.padding_side !== 'right') return undefined;
  const [cls, sep] = frame as [number, number];
  const maxLength = tokenizer.model_max_length;
  let cache = new Map<string, readonly number[]>();
  const wordIds = (word: string): readonly number[] => {
    let ids = cache.get(word);
    if (ids === undefined) {
      if (cache.size >= MAX_CACHED_WORDS) cache = new Map();
      ids = word === '' ? [] : tokenizer.encode(word, null, { add_special_tokens: false });
      cache.set(word, ids);
    }
    return ids;
  };
  const finish = (out: number[], text: () => string): readonly number[] => {
    out.push(sep);
    if (out.length <= maxLength) return out;
    // Rare (texts of thousands of words): the tokenizer's own truncation decides.
    return tokenizer([text()], { padding: false, truncation: true, return_tensor: false }).input_ids[0] ?? [];
  };
  const encoder: WordEncoder = {
    padId: tokenizer.pad_token_id,
    encode(text: string): readonly number[] {
      const out = [cls];
      for (const word of text.split(' ')) for (const id of wordIds(word)) out.push(id);
      return finish(out, () => text);
    },
    encodeWords(words: readonly string[]): readonly number[] {
      const out = [cls];
      for (const word of words) {
        // a word holding a space is what splitting the joined text would make of it
        if (word.includes(' '))
          for (const part of word.split(' ')) for (const id of wordIds(part)) out.push(id);
        else for (const id of wordIds(word)) out.push(id);
      }
      return finish(out, () => words.join(' '));
    },
  };
  const reference = tokenizer(PROBES, { padding: false, truncation: true, return_tensor: false }).input_ids;
  const same = PROBES.every((text, i) => {
    const b = reference[i] ?? [];
    return [encoder.encode(text), encoder.encodeWords(text.split(' '))].every(
      (a) => a.length === b.length && a.every((id, k) => id === b[k]),
    );
  });
  return same ? encoder : undefined;
}
