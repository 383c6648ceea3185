import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodejieba from 'nodejieba';
import type { DictionaryEntry } from './dictionary.js';

/**
 * The one place that talks to nodejieba's global state. nodejieba holds ONE dictionary per process
 * and `load()` may be called only once, so:
 * - the first segmenter loads jieba's default dictionaries plus the domain words;
 * - later dictionaries (another segmenter, a reload) only ADD words, through insertWord;
 * - a word removed from a dictionary file stays known to jieba until the process restarts (a worker
 *   recycle); `removedSinceLoad()` lists such words so callers can say so.
 */
let loaded = false;
const known = new Set<string>();
/** Bumped whenever jieba learns words: segmentations remembered before may no longer hold. */
let generation = 0;

/** Changes whenever any dictionary adds words to the process's jieba (see `ensureJieba`). */
export function jiebaGeneration(): number {
  return generation;
}

export function ensureJieba(entries: DictionaryEntry[]): { added: string[] } {
  if (!loaded) {
    const dir = mkdtempSync(join(tmpdir(), 'voc-jieba-'));
    const userDict = join(dir, 'user.dict.utf8');
    // cppjieba aborts the process on an unreadable file and has no comment syntax: write a clean copy.
    writeFileSync(userDict, entries.map((e) => `${e.word} ${e.freq} ${e.tag}`).join('\n') + '\n');
    nodejieba.load({ userDict });
    loaded = true;
    generation++;
    entries.forEach((e) => known.add(e.word));
    return { added: entries.map((e) => e.word) };
  }
  const added: string[] = [];
  for (const e of entries) {
    if (known.has(e.word)) continue;
    nodejieba.insertWord(e.word, e.tag);
    known.add(e.word);
    added.push(e.word);
  }
  if (added.length > 0) generation++;
  return { added };
}

/** Words jieba knows from a dictionary but that `current` no longer lists (removal needs a restart). */
export function removedSinceLoad(current: DictionaryEntry[]): string[] {
  const now = new Set(current.map((e) => e.word));
  return [...known].filter((w) => !now.has(w));
}

/** Raw jieba segmentation (HMM on, so unknown words and Latin runs stay whole). */
export function jiebaCut(text: string): string[] {
  return nodejieba.cut(text, true);
}

/** Segmentation without HMM: a span cut into one piece is a word of jieba's dictionaries. */
export function isDictionaryWord(text: string): boolean {
  return nodejieba.cut(text, false).length === 1;
}

/** Part-of-speech tags of a short text (jieba's ICTCLAS-style tags: v verb, ns place, nz proper noun...). */
export function jiebaTags(text: string): string[] {
  return nodejieba.tag(text).map((t) => t.tag);
}
