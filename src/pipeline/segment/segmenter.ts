import { readDictionary } from './dictionary.js';
import { ensureJieba, jiebaCut, removedSinceLoad } from './jieba.js';

/** Words of a text with their start offsets (end = start + word length). */
export interface Segmentation {
  words: string[];
  starts: number[];
}

export interface ReloadReport {
  version: string;
  added: string[];
  /** Still segmented as words until the process restarts. */
  removedNeedRestart: string[];
}

export interface Segmenter {
  readonly version: string;
  segment(text: string): Segmentation;
  /** Re-read the dictionary directory: new words apply at once, removed ones after a restart. */
  reload(): ReloadReport;
}

const SKIP = /^[\s\p{P}\p{S}]$/u;
/** Characters that are whitespace, punctuation or symbols (computed once; a regex per token is slow). */
const BLANK = new Uint8Array(0x10000);
for (let c = 0; c < 0x10000; c++) if (SKIP.test(String.fromCharCode(c))) BLANK[c] = 1;

/** True for tokens that carry no searchable content (whitespace, punctuation, symbols). */
export function isBlankToken(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (BLANK[word.charCodeAt(i)] !== 1) return false;
  return true;
}

export function createSegmenter(dictionaryDir: string): Segmenter {
  let dictionary = readDictionary(dictionaryDir);
  ensureJieba(dictionary.entries);
  return {
    get version() {
      return dictionary.version;
    },
    segment(text: string): Segmentation {
      const words = jiebaCut(text);
      const starts = new Array<number>(words.length);
      let at = 0;
      for (let i = 0; i < words.length; i++) {
        starts[i] = at;
        at += (words[i] ?? '').length;
      }
      if (at !== text.length) realign(text, words, starts);
      return { words, starts };
    },
    reload(): ReloadReport {
      const next = readDictionary(dictionaryDir);
      const { added } = ensureJieba(next.entries);
      dictionary = next;
      return { version: next.version, added, removedNeedRestart: removedSinceLoad(next.entries) };
    },
  };
}

/** jieba works on UTF-8 and may return replacement characters for broken surrogates: search forward. */
function realign(text: string, words: string[], starts: number[]): void {
  let at = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const found = text.indexOf(word, at);
    starts[i] = found >= 0 ? found : at;
    at = found >= 0 ? found + word.length : Math.min(text.length, at + word.length);
  }
}
