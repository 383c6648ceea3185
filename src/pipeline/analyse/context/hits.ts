import type { Lexicon, TermInfo } from '../lexicon/compile-lexicon.js';
import * as roleModule from '../lexicon/roles.js';
import type { Role } from '../lexicon/roles.js';

// local copy: under some module loaders (tsx) each call of an imported function goes through a getter
const excludes = roleModule.excludes;

/** A term occurrence in the normalised text, with the roles that survive hiding. */
export interface Hit {
  term: number;
  start: number;
  end: number;
  roles: readonly Role[];
  /** hidden by a neutral phrase: not even usable by patterns */
  hidden: boolean;
}

function isLatin(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);
}

/**
 * Find the term occurrences of one text: the trie scan, then the word-boundary rule (a one-character
 * term must start or end a jieba word, a two-character term must not straddle two words), then
 * hiding (a longer hit hides the cues and same-family terms inside it; neutral phrases hide
 * everything inside; exclusions cancel the labels they name).
 */
/** Where the words are: implemented by UtteranceContext. */
export interface WordIndex {
  tokenAt(pos: number): number;
  wordStart(w: number): number;
  wordEnd(w: number): number;
}

export function findHits(lexicon: Lexicon, text: string, words: WordIndex): Hit[] {
  const hits: Hit[] = [];
  const terms = lexicon.terms;
  lexicon.trie.scan(text, (term, start, end) => {
    const info = terms[term] as TermInfo;
    const len = end - start;
    if (info.latin) {
      if (isLatin(text.charCodeAt(start - 1)) || isLatin(text.charCodeAt(end))) return;
    } else if (len <= 2) {
      const first = words.tokenAt(start);
      if (len === 1) {
        if (words.wordStart(first) !== start && words.wordEnd(first) !== end) return;
      } else {
        const last = words.tokenAt(end - 1);
        if (
          (words.wordStart(first) < start && words.wordEnd(first) < end) ||
          (words.wordEnd(last) > end && words.wordStart(last) > start)
        )
          return;
      }
    }
    hits.push({ term, start, end, roles: info.roles, hidden: false });
  });
  if (hits.length > 1) hide(hits, terms);
  return hits;
}

function hide(hits: Hit[], terms: readonly TermInfo[]): void {
  const n = hits.length;
  let containers: TermInfo[] | undefined;
  for (let a = 0; a < n; a++) {
    const h = hits[a] as Hit;
    let count = 0;
    for (let b = 0; b < n; b++) {
      const l = hits[b] as Hit;
      if (b === a || l.start > h.start || l.end < h.end || l.term === h.term) continue;
      const outer = terms[l.term] as TermInfo;
      if (outer.meta.neutral) {
        h.hidden = true;
        break;
      }
      if (outer.roles.length === 0) continue;
      containers ??= [];
      containers[count++] = outer;
    }
    if (h.hidden) {
      h.roles = [];
      continue;
    }
    if (count === 0 || !containers) continue;
    const inner = terms[h.term] as TermInfo;
    const kept: Role[] = [];
    for (let r = 0; r < h.roles.length; r++) {
      const role = h.roles[r] as Role;
      const bit = inner.meta.roleBits[r] as number;
      const cue = inner.meta.roleIsCue[r] as boolean;
      let drop = false;
      for (let c = 0; c < count && !drop; c++) {
        const o = (containers[c] as TermInfo).meta;
        if (o.exclusions.length > 0 && o.exclusions.some((ex) => excludes(ex, role))) drop = true;
        else if (role.kind === 'otherSuffix') drop = true;
        else if (cue) drop = o.entityMask !== 0 || o.overriding || (o.cueMask & bit) !== 0;
        else if (role.kind === 'needProduct' && o.catTerm)
          drop = true; // 强制搭售保险 is no insurance need
        else drop = (o.entityMask & bit) !== 0;
      }
      if (!drop) kept.push(role);
    }
    if (kept.length !== h.roles.length) h.roles = kept;
  }
}
