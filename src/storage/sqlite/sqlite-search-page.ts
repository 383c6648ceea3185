/**
 * One page of an embedded search, run on a database handle: the main thread's in tests and tools,
 * a search worker's read-only one in the service (search-pool.ts). Relevance is ranked in one pass
 * over the matches with a bounded heap, so its cost is linear in the matches: the former
 * `LEFT JOIN (hits subquery)` let SQLite rescan the subquery for every matching row (45 s for
 * 42,600 matches).
 */
import type { ProcessedConversation } from '../../domain/processed-conversation.js';
import {
  compareSortValues,
  encodeCursor,
  normaliseQuery,
  type Cursor,
  type NormalisedQuery,
} from '../search-query.js';
import { simplifyTextQuery } from '../text-query.js';
import type { ConversationPage, ConversationQuery } from '../types.js';
import type { SqliteDatabase } from './database.js';
import { ftsMatchAll } from './fts-terms.js';
import {
  TextCompiler,
  bucketExpression,
  filterConditions,
  toFacetCounts,
  type Params,
} from './sqlite-search.js';
import { TopK } from './top-k.js';

interface Row {
  id: string;
  doc: string;
  t: number;
  score: number;
}

type Candidate = Cursor & { sort: 'relevance'; seq: number };

/** Runs a validated query (normaliseQuery) on `db` in one read transaction, so counts and hits agree. */
export function searchPage(db: SqliteDatabase, query: ConversationQuery): ConversationPage {
  const q = normaliseQuery(query);
  return db.transaction(() => runSearch(db, q, query)).deferred();
}

function runSearch(db: SqliteDatabase, q: NormalisedQuery, query: ConversationQuery): ConversationPage {
  const params: Params = {};
  const where: string[] = filterConditions(query.filters, params);
  let from = 'conversations c';
  let base = '0.0';
  const text = simplifyTextQuery(query.text);
  const compiler = new TextCompiler(params);
  if (text !== undefined) where.push(compiler.condition(text));
  if (q.terms.length > 0) {
    from = 'conversation_terms JOIN conversations c ON c.seq = conversation_terms.rowid';
    where.push('conversation_terms MATCH @match');
    params.match = ftsMatchAll(q.terms);
    // bm25() is lower-is-better; hits expose higher-is-better like Elasticsearch's _score.
    if (q.sort === 'relevance') base = '-bm25(conversation_terms)';
  }
  if (q.channel !== undefined) {
    where.push('c.channel = @channel');
    params.channel = q.channel;
  }
  if (q.fromMs !== undefined) {
    where.push('c.started_at_ms >= @fromMs');
    params.fromMs = q.fromMs;
  }
  if (q.toMs !== undefined) {
    where.push('c.started_at_ms <= @toMs');
    params.toMs = q.toMs;
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';

  const { total, rows } =
    q.sort === 'relevance'
      ? byRelevance(db, q, { from, filter, params, base, hits: text && compiler.hitsSubquery(text) })
      : byTime(db, q, from, filter, params);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    total,
    hits: page.map((r) => ({
      id: r.id,
      score: r.score,
      document: JSON.parse(r.doc) as ProcessedConversation,
    })),
    next: rows.length > q.limit && last !== undefined ? encodeCursor(cursorOf(q.sort, last)) : undefined,
    ...(query.facets === true ? { facets: facets(db, from, filter, params) } : {}),
    ...(query.histogram !== undefined
      ? {
          histogram: db
            .prepare<Params, { key: string; count: number }>(
              `SELECT ${bucketExpression(query.histogram)} AS key, count(*) AS count FROM ${from} ${filter} GROUP BY key ORDER BY key`,
            )
            .all(params),
        }
      : {}),
  };
}

/** Newest first: SQLite walks the time index and stops after the page. */
function byTime(
  db: SqliteDatabase,
  q: NormalisedQuery,
  from: string,
  filter: string,
  params: Params,
): { total: number; rows: Row[] } {
  const total = db.prepare<Params, { n: number }>(`SELECT count(*) AS n FROM ${from} ${filter}`).get(params);
  const after: { clause: string; values: Params } =
    q.after === undefined
      ? { clause: '', values: {} }
      : {
          clause: `WHERE (t < @afterT OR (t = @afterT AND id > @afterId))`,
          values: { afterT: q.after.startedAtMs, afterId: q.after.id },
        };
  const inner = `SELECT c.id AS id, c.doc AS doc, c.started_at_ms AS t, 0.0 AS score FROM ${from} ${filter}`;
  const rows = db
    .prepare<Params, Row>(`SELECT * FROM (${inner}) ${after.clause} ORDER BY t DESC, id ASC LIMIT @limit`)
    .all({ ...params, ...after.values, limit: q.limit + 1 });
  return { total: total?.n ?? 0, rows };
}

/**
 * Best first: the matching utterances per conversation in one aggregation, then one pass over the
 * matching conversations (ids and sort values only) keeping the best limit + 1 in a heap; documents
 * are read for those alone. Score as before: bm25 of the terms (if any) plus matching utterances
 * over (utterances + 5), the same double arithmetic SQLite did, so old cursors still hold.
 */
function byRelevance(
  db: SqliteDatabase,
  q: NormalisedQuery,
  sql: { from: string; filter: string; params: Params; base: string; hits: string | undefined },
): { total: number; rows: Row[] } {
  const hits = new Map<number, number>();
  if (sql.hits !== undefined) {
    const counts = db.prepare<Params, [number, number]>(sql.hits).raw().iterate(sql.params);
    for (const [conv, n] of counts) hits.set(conv, n);
  }
  const after = q.after?.sort === 'relevance' ? q.after : undefined;
  const best = new TopK<Candidate>(q.limit + 1, (a, b) => compareSortValues(a, b) < 0);
  let total = 0;
  const matches = db
    .prepare<Params, [number, string, number, number, number]>(
      `SELECT c.seq, c.id, c.started_at_ms, c.utterance_count, ${sql.base} FROM ${sql.from} ${sql.filter}`,
    )
    .raw()
    .iterate(sql.params);
  for (const [seq, id, t, utterances, base] of matches) {
    total++;
    const n = hits.get(seq);
    const score = sql.hits === undefined ? base : base + ((n ?? 0) * 1.0) / (utterances + 5);
    const candidate: Candidate = { sort: 'relevance', score, startedAtMs: t, id, seq };
    if (after !== undefined && compareSortValues(candidate, after) <= 0) continue;
    best.offer(candidate);
  }
  const kept = best.sorted();
  const docs = new Map(
    db
      .prepare<[string], [number, string]>(
        'SELECT seq, doc FROM conversations WHERE seq IN (SELECT value FROM json_each(?))',
      )
      .raw()
      .all(JSON.stringify(kept.map((c) => c.seq))),
  );
  return {
    total,
    rows: kept.map((c) => ({ id: c.id, doc: docs.get(c.seq) ?? 'null', t: c.startedAtMs, score: c.score })),
  };
}

function facets(
  db: SqliteDatabase,
  from: string,
  filter: string,
  params: Params,
): ReturnType<typeof toFacetCounts> {
  const grouped = (sql: string): { k: string; n: number }[] =>
    db.prepare<Params, { k: string; n: number }>(sql).all(params);
  const matching = `SELECT c.seq FROM ${from} ${filter}`;
  return toFacetCounts(
    grouped(
      `SELECT label AS k, count(*) AS n FROM conversation_labels WHERE seq IN (${matching}) GROUP BY label`,
    ),
    grouped(`SELECT c.channel AS k, count(*) AS n FROM ${from} ${filter} GROUP BY c.channel`),
    grouped(
      `SELECT c.agent_id AS k, count(*) AS n FROM ${from} ${filter} ${filter === '' ? 'WHERE' : 'AND'} c.agent_id IS NOT NULL GROUP BY c.agent_id`,
    ),
  );
}

function cursorOf(sort: NormalisedQuery['sort'], row: Row): Cursor {
  return sort === 'relevance'
    ? { sort, score: row.score, startedAtMs: row.t, id: row.id }
    : { sort, startedAtMs: row.t, id: row.id };
}
