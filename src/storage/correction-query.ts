/** What every CorrectionStore shares: query validation, the listing order and the opaque cursor. */
import type { Correction } from '../domain/correction.js';
import { InvalidQueryError } from './errors.js';
import { compareCodePoints, MAX_LIMIT, parseInstant } from './search-query.js';
import type { CorrectionQuery } from './types.js';

/** Where a page ended: the sort values of its last correction. */
export interface CorrectionCursor {
  atMs: number;
  id: string;
}

export interface NormalisedCorrectionQuery {
  conversationId?: string;
  label?: string;
  limit: number;
  after?: CorrectionCursor;
}

export function atMs(correction: Correction): number {
  return parseInstant(correction.at) ?? 0;
}

export function encodeCorrectionCursor(cursor: CorrectionCursor): string {
  return Buffer.from(JSON.stringify(['c', cursor.atMs, cursor.id]), 'utf8').toString('base64url');
}

function decodeCorrectionCursor(value: string): CorrectionCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidQueryError('malformed corrections cursor');
  }
  if (Array.isArray(parsed) && parsed.length === 3) {
    const [kind, ms, id] = parsed as unknown[];
    if (kind === 'c' && typeof ms === 'number' && Number.isFinite(ms) && typeof id === 'string') {
      return { atMs: ms, id };
    }
  }
  throw new InvalidQueryError('the cursor does not belong to a corrections listing');
}

/** Validates a query; throws InvalidQueryError naming the bad field. */
export function normaliseCorrectionQuery(query: CorrectionQuery): NormalisedCorrectionQuery {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_LIMIT) {
    throw new InvalidQueryError(`limit must be an integer from 1 to ${MAX_LIMIT}, got ${query.limit}`);
  }
  return {
    ...(query.conversationId !== undefined ? { conversationId: query.conversationId } : {}),
    ...(query.label !== undefined ? { label: query.label } : {}),
    limit: query.limit,
    ...(query.after !== undefined ? { after: decodeCorrectionCursor(query.after) } : {}),
  };
}

/** Listing order of every CorrectionStore: newest first, then id descending (code points). */
export function newestFirst(a: CorrectionCursor, b: CorrectionCursor): number {
  return b.atMs - a.atMs || compareCodePoints(b.id, a.id);
}

/** Application order: oldest first, then id ascending. */
export function oldestFirst(a: CorrectionCursor, b: CorrectionCursor): number {
  return -newestFirst(a, b);
}
