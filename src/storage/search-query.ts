/**
 * What every store shares about search: how tokens become index terms, how a query is validated,
 * and the opaque cursor. Keeping this in one place is what makes the stores agree on results.
 */
import { CHANNELS, type Channel } from '../domain/conversation.js';
import type { ProcessedConversation } from '../domain/processed-conversation.js';
import { InvalidQueryError } from './errors.js';
import type { ConversationQuery } from './types.js';

export const MAX_LIMIT = 1000;
/** Longer tokens are cut: Lucene's whitespace tokenizer splits terms longer than 255 UTF-16 units. */
const MAX_TERM_CODE_POINTS = 100;
/** JavaScript's \s plus U+001C..U+001F, which Java's Character.isWhitespace (Lucene) also splits on. */
// eslint-disable-next-line no-control-regex -- the control characters are the point
const WHITESPACE = /[\s\u001c-\u001f]+/u;

/**
 * Index terms of a token list: lower-cased, split on whitespace, empty ones dropped. Matching is
 * by whole term, so 「大额」 does not match a conversation holding only 「大额存单」.
 */
export function toTerms(tokens: readonly string[]): string[] {
  const terms: string[] = [];
  for (const token of tokens) {
    for (const part of token.toLowerCase().split(WHITESPACE)) {
      if (part === '') continue;
      const points = Array.from(part);
      terms.push(
        points.length > MAX_TERM_CODE_POINTS ? points.slice(0, MAX_TERM_CODE_POINTS).join('') : part,
      );
    }
  }
  return terms;
}

/** Terms of every utterance of a conversation, in order (duplicates kept: they feed term frequency). */
export function documentTerms(doc: ProcessedConversation): string[] {
  return toTerms(doc.tokens.flat());
}

/**
 * Epoch milliseconds of an ISO 8601 date or date-time. A date-time without offset is read as UTC
 * (as Elasticsearch does), never as the server's local time. Undefined when unparseable.
 */
export function parseInstant(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const hasTime = value.length > 10;
  const hasOffset = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/.test(value);
  const ms = Date.parse(hasTime && !hasOffset ? `${value}Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Why a document cannot be stored, or undefined when it can. */
export function invalidDocumentReason(doc: ProcessedConversation): string | undefined {
  const { id, startedAt, channel } = doc.conversation;
  if (typeof id !== 'string' || id === '') return 'missing conversation id';
  if (Buffer.byteLength(id) > 512) return 'conversation id longer than 512 bytes';
  if (typeof startedAt !== 'string' || parseInstant(startedAt) === undefined) {
    return `startedAt is not an ISO 8601 date-time: ${JSON.stringify(startedAt)}`;
  }
  if (!CHANNELS.includes(channel)) return `unknown channel ${JSON.stringify(channel)}`;
  if (!Array.isArray(doc.tokens)) return 'tokens is not an array';
  return undefined;
}

/** Where the previous page ended: the sort values of its last hit. */
export type Cursor =
  | { sort: 'relevance'; score: number; startedAtMs: number; id: string }
  | { sort: 'time'; startedAtMs: number; id: string };

export function encodeCursor(cursor: Cursor): string {
  const values =
    cursor.sort === 'relevance'
      ? ['r', cursor.score, cursor.startedAtMs, cursor.id]
      : ['t', cursor.startedAtMs, cursor.id];
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(value: string, sort: ConversationQuery['sort']): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidQueryError('malformed search cursor');
  }
  if (!Array.isArray(parsed)) throw new InvalidQueryError('malformed search cursor');
  const [kind, ...rest] = parsed as unknown[];
  if (sort === 'relevance' && kind === 'r' && rest.length === 3) {
    const [score, startedAtMs, id] = rest;
    if (isFiniteNumber(score) && isFiniteNumber(startedAtMs) && typeof id === 'string') {
      return { sort, score, startedAtMs, id };
    }
  }
  if (sort === 'time' && kind === 't' && rest.length === 2) {
    const [startedAtMs, id] = rest;
    if (isFiniteNumber(startedAtMs) && typeof id === 'string') return { sort, startedAtMs, id };
  }
  throw new InvalidQueryError(`search cursor does not belong to a "${sort}" search`);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A query checked and reduced to what a store needs: distinct terms, millisecond bounds, cursor. */
export interface NormalisedQuery {
  terms: string[];
  fromMs?: number;
  toMs?: number;
  channel?: Channel;
  sort: ConversationQuery['sort'];
  limit: number;
  after?: Cursor;
}

/** Validates a query; throws InvalidQueryError naming the bad field. */
export function normaliseQuery(query: ConversationQuery): NormalisedQuery {
  const { sort, limit } = query;
  if (sort !== 'relevance' && sort !== 'time')
    throw new InvalidQueryError(`unknown sort ${JSON.stringify(sort)}`);
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) {
    throw new InvalidQueryError(`limit must be an integer from 0 to ${MAX_LIMIT}, got ${limit}`);
  }
  if (query.channel !== undefined && !CHANNELS.includes(query.channel)) {
    throw new InvalidQueryError(`unknown channel ${JSON.stringify(query.channel)}`);
  }
  return {
    terms: [...new Set(toTerms(query.tokens))],
    fromMs: boundMs(query.from, 'from'),
    toMs: boundMs(query.to, 'to'),
    channel: query.channel,
    sort,
    limit,
    after: query.after === undefined ? undefined : decodeCursor(query.after, sort),
  };
}

function boundMs(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseInstant(value);
  if (ms === undefined)
    throw new InvalidQueryError(`${field} is not an ISO 8601 date-time: ${JSON.stringify(value)}`);
  return ms;
}

/** Orders hits as every store does: score desc (relevance only), startedAt desc, id asc. */
export function compareSortValues(a: Cursor, b: Cursor): number {
  if (a.sort === 'relevance' && b.sort === 'relevance' && a.score !== b.score) return b.score - a.score;
  if (a.startedAtMs !== b.startedAtMs) return b.startedAtMs - a.startedAtMs;
  return compareCodePoints(a.id, b.id);
}

/** String order by code point, which is UTF-8 byte order: how SQLite (BINARY) and Lucene sort ids. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done === true) return y.done === true ? 0 : -1;
    if (y.done === true) return 1;
    const diff = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
}
