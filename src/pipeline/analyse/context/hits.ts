import type { Lexicon } from '../lexicon/compile-lexicon.js';
import { excludes, familyOf, type Role } from '../lexicon/roles.js';

/** A term occurrence in the normalised text, with the roles that survive hiding. */
export interface Hit {
  term: number;
  start: number;
  end: number;
  roles: Role[];
  /** hidden by a neutral phrase: not even usable by patterns */
  hidden: boolean;
}

const LATIN_CHAR = /[a-z0-9]/;

/**
 * Find the term occurrences of one text: the trie scan, then the word-boundary rule (one- and
 * two-character terms must line up with jieba's words), then hiding (a longer hit hides the cues and
 * same-family terms inside it; neutral phrases hide everything inside; exclusions cancel the labels
 * they name).
 */
export function findHits(lexicon: Lexicon, text: string, tokenOf: Int32Array, tokenStarts: Int32Array, tokenEnds: Int32Array): Hit[] {
  const hits: Hit[] = [];
  lexicon.trie.scan(text, (term, start, end) => {
    const info = lexicon.terms[term];
    if (!info) return;
    const len = end - start;
    if (info.latin) {
      if (LATIN_CHAR.test(text.charAt(start - 1)) || LATIN_CHAR.test(text.charAt(end))) return;
    } else if (len <= 2) {
      const first = tokenOf[start] ?? 0;
      const last = tokenOf[end - 1] ?? 0;
      const ts = tokenStarts[first] ?? 0;
      const te = tokenEnds[last] ?? 0;
      if (len === 1) {
        if (ts !== start && te !== end) return;
      } else if ((ts < start && (tokenEnds[first] ?? 0) < end) || (te > end && (tokenStarts[last] ?? 0) > start)) {
        return;
      }
    }
    hits.push({ term, start, end, roles: info.roles, hidden: false });
  });
  if (hits.length > 1) hide(hits);
  return hits;
}

/** Cue kinds that change the meaning of the cues inside them (不需要 is not 需要). */
const OVERRIDING = new Set<string>(['neg', 'negBack', 'decline', 'refuse', 'negCue', 'catCue', 'trigger', 'sentiment', 'hypo']);

/** Does the longer hit's role `outer` swallow the contained cue role `inner`? */
function swallows(outer: Role, inner: Role): boolean {
  const family = familyOf(outer);
  if (family === 'exclude') return false;
  if (family !== 'cue') return true; // entities take their characters (存 in 存款, 贵 in 贵行)
  return outer.kind === inner.kind || OVERRIDING.has(outer.kind);
}

function hide(hits: Hit[]): void {
  const n = hits.length;
  const updated: (Role[] | undefined)[] = new Array<Role[] | undefined>(n);
  for (let a = 0; a < n; a++) {
    const h = hits[a] as Hit;
    let kept: Role[] | undefined;
    for (let b = 0; b < n; b++) {
      const l = hits[b] as Hit;
      if (b === a || l.start > h.start || l.end < h.end || l.term === h.term) continue;
      if (l.roles.some((r) => r.kind === 'neutral')) {
        h.hidden = true;
        kept = [];
        break;
      }
      const current: Role[] = kept ?? h.roles;
      const next = current.filter((r) => {
        if (l.roles.some((ex) => excludes(ex, r))) return false;
        const family = familyOf(r);
        if (r.kind === 'otherSuffix') return l.roles.length === 0;
        if (family === 'cue') return !l.roles.some((lr) => swallows(lr, r));
        // a product named inside a complaint phrase (强制搭售保险) is not a need
        if (r.kind === 'needProduct' && l.roles.some((lr) => lr.kind === 'catTerm')) return false;
        return !l.roles.some((lr) => familyOf(lr) === family);
      });
      if (next.length !== current.length) kept = next;
    }
    updated[a] = kept;
  }
  for (let a = 0; a < n; a++) {
    const roles = updated[a];
    if (roles) (hits[a] as Hit).roles = roles;
  }
}
