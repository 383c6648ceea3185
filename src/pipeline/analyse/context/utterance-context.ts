import type { Speaker } from '../../../domain/conversation.js';
import type { NormalisedText } from '../../normalise/normalise.js';
import { toOriginalSpan } from '../../normalise/normalise.js';
import type { Segmentation } from '../../segment/segmenter.js';
import type { Lexicon } from '../lexicon/compile-lexicon.js';
import type { CompiledPattern } from '../lexicon/patterns.js';
import type { Role, RoleKind } from '../lexicon/roles.js';
import { findHits, type Hit } from './hits.js';
import { matchPattern } from './match-pattern.js';

export interface Span {
  start: number;
  end: number;
}

/** A hit seen through one of its roles. */
export interface RoleHit<R extends Role = Role> {
  span: Span;
  role: R;
}

type RoleOf<K extends RoleKind> = Extract<Role, { kind: K }>;

const CLAUSE_PUNCT = /[\s,.!?;:，。！？；：…~～、()（）"“”]/;

/**
 * One utterance as the detectors see it: normalised text, words, clauses, and the taxonomy's terms
 * and patterns found in it, by role. Distances are counted in words (jieba tokens).
 */
export class UtteranceContext {
  readonly hits: Hit[];
  readonly tokenOf: Int32Array;
  readonly clauseOf: Int32Array;
  private readonly buckets = new Map<RoleKind, RoleHit[]>();

  constructor(
    readonly index: number,
    readonly speaker: Speaker,
    readonly norm: NormalisedText,
    readonly seg: Segmentation,
    readonly lexicon: Lexicon,
  ) {
    const text = norm.text;
    const n = text.length;
    const words = seg.words.length;
    this.tokenOf = new Int32Array(n);
    const tokenEnds = new Int32Array(words);
    for (let w = 0; w < words; w++) {
      const s = seg.starts[w] ?? 0;
      const e = Math.min(n, s + (seg.words[w] ?? '').length);
      tokenEnds[w] = e;
      for (let i = s; i < e; i++) this.tokenOf[i] = w;
    }
    this.hits = findHits(lexicon, text, this.tokenOf, seg.starts, tokenEnds);
    this.clauseOf = new Int32Array(n);
    const breaksAt = new Set<number>();
    for (const h of this.hits) if (h.roles.some((r) => r.kind === 'clause')) breaksAt.add(h.start);
    let clause = 0;
    for (let i = 0; i < n; i++) {
      if (breaksAt.has(i) && i > 0) clause++;
      this.clauseOf[i] = clause;
      if (CLAUSE_PUNCT.test(text.charAt(i))) clause++;
    }
    for (const h of this.hits) for (const role of h.roles) this.push(h, role);
    this.matchPatterns();
  }

  private push(span: Span, role: Role): void {
    const list = this.buckets.get(role.kind);
    if (list) list.push({ span, role });
    else this.buckets.set(role.kind, [{ span, role }]);
  }

  private matchPatterns(): void {
    const byFirst = this.lexicon.patternsByFirstTerm;
    if (byFirst.size === 0) return;
    const tried = new Set<CompiledPattern>();
    for (const h of this.hits) {
      if (h.hidden) continue;
      const patterns = byFirst.get(h.term);
      if (!patterns) continue;
      for (const p of patterns) {
        if (tried.has(p) || p.role === 'switch') continue;
        tried.add(p);
        for (const span of matchPattern(this, p, [])) this.push(span, p.role);
      }
    }
  }

  get text(): string {
    return this.norm.text;
  }

  get<K extends RoleKind>(kind: K): RoleHit<RoleOf<K>>[] {
    return (this.buckets.get(kind) ?? []) as RoleHit<RoleOf<K>>[];
  }

  has(kind: RoleKind): boolean {
    return (this.buckets.get(kind)?.length ?? 0) > 0;
  }

  /** Words strictly between `a` and a later `b` (negative when they overlap). */
  gap(a: Span, b: Span): number {
    if (b.start < a.end) return -1;
    return (this.tokenOf[b.start] ?? 0) - (this.tokenOf[a.end - 1] ?? 0) - 1;
  }

  /** Words between two spans in either order. */
  distance(a: Span, b: Span): number {
    return a.end <= b.start ? this.gap(a, b) : b.end <= a.start ? this.gap(b, a) : -1;
  }

  sameClause(a: Span, b: Span): boolean {
    return this.clauseOf[a.start] === this.clauseOf[b.start];
  }

  /** Is there a hit of one of `kinds` strictly between a and b? */
  between(a: Span, b: Span, kinds: readonly RoleKind[]): boolean {
    const from = Math.min(a.end, b.end);
    const to = Math.max(a.start, b.start);
    for (const kind of kinds) for (const h of this.get(kind)) if (h.span.start >= from && h.span.end <= to) return true;
    return false;
  }

  /** Negated: a negation cue up to `scope` words before (same clause), or a backward one after. */
  isNegated(span: Span): boolean {
    const cues = this.lexicon.data.cues.negation;
    for (const n of this.get('neg')) {
      if (n.span.end <= span.start && this.sameClause(n.span, span) && this.gap(n.span, span) < cues.scope) return true;
    }
    for (const n of this.get('negBack')) {
      if (n.span.start >= span.end && this.sameClause(n.span, span) && this.gap(span, n.span) < cues.backwardScope) return true;
    }
    return false;
  }

  /** In the scope of 如果/万一... (up to the consequent) or before a ...的话 in the same clause. */
  isHypothetical(span: Span): boolean {
    for (const h of this.get('hypo')) {
      if (h.span.end > span.start || !this.sameClause(h.span, span)) continue;
      if (!this.get('consequent').some((c) => c.span.start >= h.span.end && c.span.end <= span.start)) return true;
    }
    for (const h of this.get('hypoBack')) {
      if (h.span.start < span.end || !this.sameClause(h.span, span)) continue;
      if (!this.get('consequent').some((c) => c.span.start >= span.end && c.span.end <= h.span.start)) return true;
    }
    return false;
  }

  /** The span in the ORIGINAL text. */
  original(span: Span): Span {
    return toOriginalSpan(this.norm, span.start, span.end);
  }
}
