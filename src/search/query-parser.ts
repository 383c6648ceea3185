/**
 * The analyst query syntax, parsed to a TextQuery the stores understand.
 *
 *   年费 太贵              both words (AND)
 *   余额宝 OR 零钱通        either word (also `|`)
 *   年费 -减免 / NOT 减免   without the word
 *   "转到 余额宝"           a phrase: its words one after the other
 *   手续费 NEAR/5 高        at most 5 characters between the two words, in one utterance
 *   (年费 OR 手续费) 太贵   grouping
 *   speaker:customer 理财   only what the customer said (customer|agent|all, 客户|坐席)
 *
 * Each word is segmented with the indexing dictionary and matched where its characters occur
 * contiguously within one utterance.
 */
import { ValidationError } from '../errors.js';
import type { SpeakerScope, TextQuery } from '../storage/text-query.js';

export interface ParsedQuery {
  text?: TextQuery;
  scope: SpeakerScope;
  /** The words and phrases to highlight (never those under NOT). */
  highlight: string[];
  /** The positive words and phrases outside NEAR, matched anywhere. */
  words?: string[];
  /** The positive NEAR pairs: highlighted only where both sides are close in one utterance. */
  near?: NearPair[];
}

export interface NearPair {
  left: string;
  right: string;
  distance: number;
}

/** `at`: where the lexeme starts in the query text (for error positions). */
type Lexeme = { at: number } & (
  | { t: 'word'; v: string }
  | { t: 'phrase'; v: string }
  | { t: 'or' | 'not' | 'open' | 'close' }
  | { t: 'near'; n: number }
);

/**
 * A syntax error with a stable reason code and the character offset in the query, so the
 * console can say in Chinese what is wrong and where.
 */
function syntaxError(message: string, reason: string, position: number): ValidationError {
  return new ValidationError(`Query syntax: ${message} (at character ${position + 1})`, [
    { where: 'q', message, reason, position },
  ]);
}

const SCOPES: Record<string, SpeakerScope> = {
  customer: 'customer',
  客户: 'customer',
  agent: 'agent',
  坐席: 'agent',
  all: 'all',
  全部: 'all',
};

export const DEFAULT_NEAR = 5;
/**
 * The largest NEAR distance kept: longer than any utterance, so a larger one means the same (and
 * NEAR/99999999999999999999 would otherwise print as 1e+20, which does not parse back).
 */
export const MAX_NEAR = 10_000;

function lex(input: string): { lexemes: Lexeme[]; scope: SpeakerScope } {
  const text = input
    .replace(/[“”＂]/g, '"')
    .replace(/（/g, '(')
    .replace(/）/g, ')');
  const lexemes: Lexeme[] = [];
  let scope: SpeakerScope = 'all';
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (/\s/u.test(ch)) {
      i++;
    } else if (ch === '"') {
      const end = text.indexOf('"', i + 1);
      if (end === -1) throw syntaxError('unclosed quote: add the closing "', 'unclosed_quote', i);
      lexemes.push({ t: 'phrase', v: text.slice(i + 1, end), at: i });
      i = end + 1;
    } else if (ch === '(' || ch === ')') {
      lexemes.push({ t: ch === '(' ? 'open' : 'close', at: i });
      i++;
    } else if (
      ch === '-' &&
      lexemes.length >= 0 &&
      /[^\s]/u.test(text[i + 1] ?? ' ') &&
      (i === 0 || /[\s(]/u.test(text[i - 1] ?? ''))
    ) {
      lexemes.push({ t: 'not', at: i });
      i++;
    } else {
      let end = i;
      while (end < text.length && !/[\s"()]/u.test(text[end] ?? '')) end++;
      const word = text.slice(i, end);
      const at = i;
      i = end;
      const near = /^NEAR(?:\/(\d+))?$/i.exec(word);
      const speaker = /^(?:speaker|说话人):(.+)$/i.exec(word);
      if (word === 'OR' || word === '|' || word === '或') lexemes.push({ t: 'or', at });
      else if (word === 'NOT') lexemes.push({ t: 'not', at });
      else if (word === 'AND') continue;
      else if (near !== null && word === word.toUpperCase())
        lexemes.push({ t: 'near', n: Math.min(Number(near[1] ?? DEFAULT_NEAR), MAX_NEAR), at });
      else if (speaker !== null) {
        const found = SCOPES[(speaker[1] ?? '').toLowerCase()];
        if (found === undefined) {
          throw syntaxError(
            `unknown speaker "${speaker[1] ?? ''}": use speaker:customer, speaker:agent or speaker:all`,
            'unknown_speaker',
            at,
          );
        }
        scope = found;
      } else lexemes.push({ t: 'word', v: word, at });
    }
  }
  return { lexemes, scope };
}

/** Parses the query syntax above; `segment` is the indexing segmenter. Throws ValidationError. */
export function parseQuery(input: string, segment: (text: string) => string[]): ParsedQuery {
  const { lexemes, scope } = lex(input);
  const highlight: string[] = [];
  const words: string[] = [];
  const nearPairs: NearPair[] = [];
  let at = 0;
  const peek = (): Lexeme | undefined => lexemes[at];
  const fail = (message: string, reason: string): never => {
    throw syntaxError(message, reason, lexemes[at]?.at ?? input.length);
  };
  const scoped = scope === 'all' ? {} : { scope };

  function atom(negated: boolean): { tokens: string[]; raw: string } | undefined {
    const lexeme = peek();
    if (lexeme?.t !== 'word' && lexeme?.t !== 'phrase') return undefined;
    at++;
    if (!negated) {
      highlight.push(lexeme.v);
      words.push(lexeme.v);
    }
    return { tokens: segment(lexeme.v), raw: lexeme.v };
  }

  function primary(negated: boolean): TextQuery | undefined {
    const lexeme = peek();
    if (lexeme?.t === 'open') {
      at++;
      const inner = orExpr(negated);
      if (peek()?.t !== 'close') fail('missing )', 'missing_close');
      at++;
      return inner;
    }
    const left = atom(negated);
    if (left === undefined) {
      if (lexeme === undefined) fail('the query ends too early', 'ends_early');
      else fail(`unexpected ${describe(lexeme)}`, `unexpected_${lexeme.t}`);
    }
    const near = peek();
    if (near?.t === 'near') {
      at++;
      const right = atom(negated);
      if (right === undefined) fail('NEAR needs a word on each side', 'near_needs_words');
      if (!negated && left !== undefined && right !== undefined) {
        words.splice(-2);
        nearPairs.push({ left: left.raw, right: right.raw, distance: near.n });
      }
      return {
        kind: 'near',
        left: left?.tokens ?? [],
        right: right?.tokens ?? [],
        distance: near.n,
        ...scoped,
      };
    }
    return { kind: 'phrase', tokens: left?.tokens ?? [], ...scoped };
  }

  function unary(negated: boolean): TextQuery | undefined {
    if (peek()?.t === 'not') {
      at++;
      const child = unary(!negated);
      return child === undefined ? undefined : { kind: 'not', child };
    }
    return primary(negated);
  }

  function andExpr(negated: boolean): TextQuery | undefined {
    const children: TextQuery[] = [];
    for (let next = peek(); next !== undefined && next.t !== 'or' && next.t !== 'close'; next = peek()) {
      const child = unary(negated);
      if (child !== undefined) children.push(child);
    }
    if (children.length === 0) fail('an operator needs a word after it', 'operator_needs_word');
    return children.length === 1 ? children[0] : { kind: 'and', children };
  }

  function orExpr(negated: boolean): TextQuery | undefined {
    const children = [andExpr(negated)];
    while (peek()?.t === 'or') {
      at++;
      children.push(andExpr(negated));
    }
    const kept = children.filter((c): c is TextQuery => c !== undefined);
    return kept.length === 1 ? kept[0] : { kind: 'or', children: kept };
  }

  if (lexemes.length === 0) return { scope, highlight };
  const text = orExpr(false);
  if (at < lexemes.length) {
    const lexeme = lexemes[at] ?? { t: 'close', at: input.length };
    fail(`unexpected ${describe(lexeme)}`, `unexpected_${lexeme.t}`);
  }
  return { ...(text !== undefined ? { text } : {}), scope, highlight, words, near: nearPairs };
}

function describe(lexeme: Lexeme): string {
  switch (lexeme.t) {
    case 'word':
    case 'phrase':
      return `"${lexeme.v}"`;
    case 'near':
      return 'NEAR';
    case 'or':
      return 'OR';
    case 'not':
      return 'NOT';
    case 'open':
      return '(';
    case 'close':
      return ')';
  }
}
