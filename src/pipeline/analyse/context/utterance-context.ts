import type { Speaker } from '../../../domain/conversation.js';
import type { NormalisedText } from '../../normalise/normalise.js';
import * as normaliseModule from '../../normalise/normalise.js';
import * as charClasses from '../../normalise/char-classes.js';
import type { Segmentation } from '../../segment/segmenter.js';
import type { Lexicon } from '../lexicon/compile-lexicon.js';
import type { CompiledPattern } from '../lexicon/patterns.js';
import type { Role, RoleKind } from '../lexicon/roles.js';
import * as hitsModule from './hits.js';
import type { Hit } from './hits.js';
import * as matchModule from './match-pattern.js';
import * as rolesModule from '../lexicon/roles.js';

// local copies: under some module loaders (tsx) each use of an imported binding goes through a getter
const findHits = hitsModule.findHits;
const matchPattern = matchModule.matchPattern;
const excludes = rolesModule.excludes;
const toOriginalSpan = normaliseModule.toOriginalSpan;
const CLASSES = charClasses.CLASSES;
const BREAK = charClasses.BREAK;
const NO_HITS: readonly RoleHit[] = [];
/** Roles that on their own never make a label. */
const CUE_ONLY = new Set<RoleKind>([
  'neg',
  'negBack',
  'hypo',
  'hypoBack',
  'unreal',
  'praise',
  'clause',
  'neutral',
  'desire',
  'action',
  'question',
  'pastBefore',
  'service',
  'offer',
  'marketing',
  'self',
  'thirdParty',
  'intensifier',
  'negCue',
  'catCue',
  'needContext',
  'triggerExclude',
  'catExclude',
  'needExclude',
  'lifeExclude',
]);
let stamps = 0;

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

/**
 * One utterance as the detectors see it: normalised text, words, clauses, and the taxonomy's terms
 * and patterns found in it, by role. Distances are counted in words (jieba tokens).
 */
export class UtteranceContext {
  readonly hits: Hit[];
  private readonly clauseOfWord: number[];
  private readonly buckets = new Map<RoleKind, RoleHit[]>();
  private byTerm: Map<number, Hit[]> | undefined;
  private readonly stamp = ++stamps;
  /** for pattern matches: their element spans (a negation may sit inside a pattern) */
  readonly patternElements = new Map<Span, Span[]>();

  constructor(
    readonly index: number,
    readonly speaker: Speaker,
    readonly norm: NormalisedText,
    readonly seg: Segmentation,
    readonly lexicon: Lexicon,
  ) {
    const text = norm.text;
    this.hits = findHits(lexicon, text, this);
    const seen = lexicon.seen;
    for (const h of this.hits) {
      if (!h.hidden) seen[h.term] = this.stamp;
      for (const role of h.roles) this.push(h, role);
    }
    // clauses end at punctuation (jieba keeps it as a word of its own) and at 但是/不过... words
    const breaks = this.buckets.get('clause');
    const words = seg.words.length;
    this.clauseOfWord = new Array<number>(words);
    let clause = 0;
    let afterBreak = true;
    for (let w = 0; w < words; w++) {
      const s = seg.starts[w] as number;
      // a clause word right after punctuation (。结果...) does not open yet another clause
      if (breaks && !afterBreak) for (const b of breaks) if (b.span.start === s) clause++;
      this.clauseOfWord[w] = clause;
      afterBreak = ((CLASSES[text.charCodeAt(s)] ?? 0) & BREAK) !== 0;
      if (afterBreak) clause++;
    }
    this.matchPatterns();
  }

  /** Index of the jieba word holding character `pos` (words are contiguous: binary search). */
  tokenAt(pos: number): number {
    const starts = this.seg.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Start and end of word `w`. */
  wordStart(w: number): number {
    return this.seg.starts[w] ?? this.norm.text.length;
  }

  wordEnd(w: number): number {
    return this.seg.starts[w + 1] ?? this.norm.text.length;
  }

  /** Clause number of character `pos`. */
  clauseAt(pos: number): number {
    return this.clauseOfWord[this.tokenAt(pos)] ?? 0;
  }

  /** Does a role that can lead to a label occur (not just cues such as 想, 不, 我的)? */
  get carriesSignal(): boolean {
    for (const kind of this.buckets.keys()) if (!CUE_ONLY.has(kind)) return true;
    return false;
  }

  private push(span: Span, role: Role): void {
    const list = this.buckets.get(role.kind);
    if (list) list.push({ span, role });
    else this.buckets.set(role.kind, [{ span, role }]);
  }

  private matchPatterns(): void {
    const byFirst = this.lexicon.patternsByFirstTerm;
    let tried: Set<CompiledPattern> | undefined;
    for (const h of this.hits) {
      if (h.hidden) continue;
      const patterns = byFirst.get(h.term);
      if (!patterns) continue;
      for (const p of patterns) {
        if (p.role === 'switch' || tried?.has(p) || !this.mayMatch(p)) continue;
        (tried ??= new Set()).add(p);
        for (const match of matchPattern(this, p, [])) {
          if (this.excluded(match, p.role)) continue;
          this.push(match, p.role);
          this.patternElements.set(match, match.elements);
        }
      }
    }
  }

  /** Is a pattern match cancelled by an exclusion term overlapping it (我的分期还剩几期)? */
  private excluded(span: Span, role: Role): boolean {
    for (const h of this.hits) {
      if (h.end <= span.start || h.start >= span.end) continue;
      const exclusions = this.lexicon.terms[h.term]?.meta.exclusions;
      if (exclusions && exclusions.some((ex) => ex.kind !== 'neutral' && excludes(ex, role))) return true;
    }
    return false;
  }

  /** Every element of the pattern has a term present (cheap pre-check before matching). */
  mayMatch(p: CompiledPattern): boolean {
    const seen = this.lexicon.seen;
    for (const el of p.elements) {
      if (el.comp) continue;
      let any = false;
      for (const t of el.terms) {
        if (seen[t] === this.stamp) {
          any = true;
          break;
        }
      }
      if (!any) return false;
    }
    return true;
  }

  /** Visible hits of one term (patterns look their elements up here). */
  hitsOf(term: number): readonly Hit[] {
    if (!this.byTerm) {
      this.byTerm = new Map();
      for (const h of this.hits) {
        if (h.hidden) continue;
        const list = this.byTerm.get(h.term);
        if (list) list.push(h);
        else this.byTerm.set(h.term, [h]);
      }
    }
    return this.byTerm.get(term) ?? [];
  }

  get text(): string {
    return this.norm.text;
  }

  get<K extends RoleKind>(kind: K): readonly RoleHit<RoleOf<K>>[] {
    return (this.buckets.get(kind) ?? NO_HITS) as readonly RoleHit<RoleOf<K>>[];
  }

  has(kind: RoleKind): boolean {
    return (this.buckets.get(kind)?.length ?? 0) > 0;
  }

  /** Words strictly between `a` and a later `b` (negative when they overlap). */
  gap(a: Span, b: Span): number {
    if (b.start < a.end) return -1;
    return this.tokenAt(b.start) - this.tokenAt(a.end - 1) - 1;
  }

  /** Words between two spans in either order. */
  distance(a: Span, b: Span): number {
    return a.end <= b.start ? this.gap(a, b) : b.end <= a.start ? this.gap(b, a) : -1;
  }

  sameClause(a: Span, b: Span): boolean {
    return this.clauseAt(a.start) === this.clauseAt(b.start);
  }

  /** Is there a hit of one of `kinds` strictly between a and b? */
  between(a: Span, b: Span, kinds: readonly RoleKind[]): boolean {
    const from = Math.min(a.end, b.end);
    const to = Math.max(a.start, b.start);
    for (const kind of kinds)
      for (const h of this.get(kind)) if (h.span.start >= from && h.span.end <= to) return true;
    return false;
  }

  /**
   * Negated: a negation cue before the span that reaches it, or a backward cue after it (买房的事还没影).
   * A cue reaches across `transparent` words only (我不是要投诉; 不需要贷款 but not 周转不开|想申请), and a
   * cue glued into a longer word (不贵) negates that word only. `loose` (switching intent, where any
   * negation in the clause counts: 我不打算把钱转到工行) only limits the distance.
   */
  isNegated(target: Span, loose = false, ignore: readonly Span[] = []): boolean {
    const cues = this.lexicon.data.cues.negation;
    // a negation of a phrase reaches what the phrase holds: 不打算|贷款买车 negates 买车
    let span = target;
    for (const h of this.hits) {
      if (h.roles.length > 0 && h.start < span.start && h.end >= target.end)
        span = { start: h.start, end: target.end };
    }
    for (const n of this.get('neg')) {
      if (n.span.end > span.start || !this.sameClause(n.span, span)) continue;
      if (ignore.some((s) => s.start === n.span.start && s.end === n.span.end)) continue;
      const gap = this.gap(n.span, span);
      if (gap >= cues.scope) continue;
      if (loose || this.reaches(n.span, span)) return true;
    }
    // a decline cue negates the word right after it (不想亏本, 不想换工作)
    for (const d of this.get('decline')) {
      if (
        d.span.end <= span.start &&
        this.gap(d.span, span) <= 0 &&
        !ignore.some((s) => s.start === d.span.start)
      )
        return true;
    }
    for (const n of this.get('negBack')) {
      if (
        n.span.start >= span.end &&
        this.sameClause(n.span, span) &&
        this.gap(span, n.span) < cues.backwardScope
      )
        return true;
    }
    return false;
  }

  private reaches(cue: Span, target: Span): boolean {
    const w = this.tokenAt(cue.start);
    if (this.wordEnd(w) > cue.end) return target.start < this.wordEnd(w);
    const transparent = this.lexicon.transparent;
    const last = this.tokenAt(target.start);
    for (let k = this.tokenAt(cue.end - 1) + 1; k < last; k++) {
      if (!transparent.has(this.seg.words[k] ?? '')) return false;
    }
    return true;
  }

  /**
   * In the scope of 如果/万一...: the rest of its clause and the next one (万一手机丢了，会不会被盗用),
   * up to a consequent marker (如果再不处理 | 我就投诉); or before a ...的话 in the same clause.
   */
  isHypothetical(span: Span): boolean {
    for (const h of this.get('hypo')) {
      if (h.span.end > span.start) continue;
      const clauses = this.clauseAt(span.start) - this.clauseAt(h.span.start);
      if (clauses > 1 || clauses < 0) continue;
      if (!this.consequentBetween(h.span.end, span.start)) return true;
    }
    for (const h of this.get('hypoBack')) {
      if (h.span.start < span.end || !this.sameClause(h.span, span)) continue;
      if (!this.consequentBetween(span.end, h.span.start)) return true;
    }
    return false;
  }

  /**
   * Is `span` only feared, wondered about or wrongly believed (怕被骗, 会不会影响征信, 我还以为被盗刷了)?
   * A marker before it in its clause says the problem did not happen, or not yet.
   */
  isUnreal(span: Span): boolean {
    return this.get('unreal').some((u) => u.span.start < span.start && this.sameClause(u.span, span));
  }

  /** A consequent marker (就, 那就...) in [from, to): frequent words, looked up only when needed. */
  private consequentBetween(from: number, to: number): boolean {
    const between = this.text.slice(from, to);
    return this.lexicon.consequents.some((c) => between.includes(c));
  }

  /** Is `span` followed directly by one of `markers` (办了, 买的)? */
  followedBy(span: Span, markers: readonly string[]): boolean {
    return markers.some((m) => this.text.startsWith(m, span.end));
  }

  /** The span in the ORIGINAL text. */
  original(span: Span): Span {
    return toOriginalSpan(this.norm, span.start, span.end);
  }
}
