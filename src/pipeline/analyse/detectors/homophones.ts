import { pinyin } from 'pinyin-pro';
import type { CompetitorId } from '../../../domain/labels.js';
import { isDictionaryWord } from '../../segment/jieba.js';
import type { Span } from '../context/utterance-context.js';

const syllableCache = new Map<string, string[]>();
const NONE: readonly { id: CompetitorId; span: Span }[] = [];

function syllables(ch: string): string[] {
  let s = syllableCache.get(ch);
  if (!s) {
    s = pinyin(ch, { toneType: 'none', type: 'array', multiple: true });
    syllableCache.set(ch, s);
  }
  return s;
}

/**
 * sameSound of two characters, by their code pair: the same pairs (a text character, a character of
 * a name) recur in every utterance, and the syllable lists and their comparison were most of the
 * homophone search. Starts over when full (one name character against every character in use).
 */
let soundCache = new Map<number, boolean>();
const MAX_SOUND_PAIRS = 200_000;

function sameSound(a: string, b: string): boolean {
  if (a === b) return true;
  const key = a.charCodeAt(0) * 0x10000 + b.charCodeAt(0);
  let same = a.length === 1 && b.length === 1 ? soundCache.get(key) : undefined;
  if (same === undefined) {
    const sa = syllables(a);
    const sb = syllables(b);
    same = sa.some((x) => sb.includes(x));
    if (a.length === 1 && b.length === 1) {
      if (soundCache.size >= MAX_SOUND_PAIRS) soundCache = new Map();
      soundCache.set(key, same);
    }
  }
  return same;
}

interface Anchor {
  name: string;
  id: CompetitorId;
  pos: number;
}

/**
 * ASR homophones of competitor names (招航 -> 招行, 余额包 -> 余额宝, 花贝 -> 花呗). A span matches a name
 * when it has the same length, every character sounds like the name's (toneless pinyin, any
 * reading), the first character is the same, it is not in the exclusion list, and a
 * two-character span is not a word of jieba's own dictionary (so 中航 or 广大 are left alone). Indexed by character so only spans sharing a character
 * with some name are looked at.
 */
export class HomophoneMatcher {
  private readonly anchors = new Map<number, Anchor[]>();
  private readonly isAnchor = new Uint8Array(0x10000);
  /** every anchor by name length, in the order `resolve` tries them (the first match wins) */
  private readonly byLength = new Map<number, Anchor[]>();

  private readonly exclude: Set<string>;

  constructor(names: readonly { text: string; id: CompetitorId }[], exclude: readonly string[]) {
    this.exclude = new Set(exclude);
    // ASR keeps the first character of a name more often than not (招航, 余额包, 花贝, 微利贷, 度小曼):
    // anchoring on it keeps the scan to one table lookup per character
    for (const { text, id } of names) {
      const code = text.charCodeAt(0);
      const list = this.anchors.get(code) ?? [];
      list.push({ name: text, id, pos: 0 });
      this.anchors.set(code, list);
      this.isAnchor[code] = 1;
    }
    for (const list of this.anchors.values())
      for (const a of list) {
        const same = this.byLength.get(a.name.length);
        if (same) same.push(a);
        else this.byLength.set(a.name.length, [a]);
      }
  }

  /** The name `text` sounds like, character by character (忠信银行 -> 中信银行), if any. */
  resolve(text: string): CompetitorId | undefined {
    for (const a of this.byLength.get(text.length) ?? []) {
      if (a.name === text) continue;
      let match = true;
      for (let k = 0; k < text.length && match; k++) match = sameSound(text.charAt(k), a.name.charAt(k));
      if (match) return a.id;
    }
    return undefined;
  }

  /** Homophones starting at one of `starts` (jieba word starts: an ASR slip still starts a word). */
  find(
    text: string,
    starts: ArrayLike<number>,
    accept: (span: Span) => boolean,
  ): readonly { id: CompetitorId; span: Span }[] {
    let found: { id: CompetitorId; span: Span }[] | undefined;
    for (let w = 0; w < starts.length; w++) {
      const i = starts[w] as number;
      if (this.isAnchor[text.charCodeAt(i)] !== 1) continue;
      const anchors = this.anchors.get(text.charCodeAt(i));
      if (!anchors) continue;
      for (const a of anchors) {
        const start = i - a.pos;
        const end = start + a.name.length;
        if (start < 0 || end > text.length) continue;
        let exact = true;
        let match = true;
        for (let k = 1; k < a.name.length && match; k++) {
          const c = text.charAt(start + k);
          const w = a.name.charAt(k);
          if (c !== w) {
            exact = false;
            match = sameSound(c, w);
          }
        }
        if (exact || !match) continue;
        const candidate = text.slice(start, end);
        if (found?.some((f) => f.span.start === start && f.span.end === end)) continue;
        const span = { start, end };
        if (this.exclude.has(candidate) || !accept(span)) continue;
        if (candidate.length === 2 && isDictionaryWord(candidate)) continue;
        (found ??= []).push({ id: a.id, span });
      }
    }
    return found ?? NONE;
  }
}
