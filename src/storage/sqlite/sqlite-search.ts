/**
 * SQL for text expressions, filters and aggregations on the embedded store. Leaves of a text
 * expression are FTS5 MATCH queries over single utterances (table utterance_units); AND/OR/NOT are
 * set operations on conversations, so a conversation matches 「年费 -减免」 when some utterance says
 * 年费 and none says 减免.
 */
import {
  labelKeyGroups,
  positiveLeaves,
  type ConversationFilters,
  type HistogramInterval,
  type TextQuery,
} from '../text-query.js';
import { ftsTerm } from './fts-terms.js';

export { toFacetCounts } from '../text-query.js';

export type Params = Record<string, string | number | null>;

/** Utterances per conversation in the rowid space of utterance_units. */
export const UTTERANCE_SLOTS = 65536;
const SHIFT = 16;

/** The MATCH expression of one leaf, with its speaker column filter. */
function leafMatch(leaf: TextQuery & { kind: 'phrase' | 'near' }): string {
  const phrase = (units: string[]): string => `"${units.map(ftsTerm).join(' ').replace(/"/g, '""')}"`;
  const expr =
    leaf.kind === 'phrase'
      ? phrase(leaf.tokens)
      : `NEAR(${phrase(leaf.left)} ${phrase(leaf.right)}, ${leaf.distance})`;
  return leaf.scope === 'customer' || leaf.scope === 'agent' ? `${leaf.scope} : ${expr}` : expr;
}

/** Builds a WHERE fragment over `c.seq`, adding its MATCH strings to params. */
export class TextCompiler {
  private readonly names = new Map<string, string>();

  constructor(private readonly params: Params) {}

  private param(match: string): string {
    let name = this.names.get(match);
    if (name === undefined) {
      name = `m${this.names.size}`;
      this.names.set(match, name);
      this.params[name] = match;
    }
    return name;
  }

  condition(query: TextQuery): string {
    switch (query.kind) {
      case 'phrase':
      case 'near':
        return `c.seq IN (SELECT rowid >> ${SHIFT} FROM utterance_units WHERE utterance_units MATCH @${this.param(leafMatch(query))})`;
      case 'and':
      case 'or':
        return `(${query.children.map((c) => this.condition(c)).join(query.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${this.condition(query.child)})`;
    }
  }

  /**
   * A subquery (conv, hits): matching utterances summed over positive leaves, the same score the
   * memory store computes.
   */
  hitsSubquery(query: TextQuery): string | undefined {
    const leaves = positiveLeaves(query).filter(
      (l): l is TextQuery & { kind: 'phrase' | 'near' } => l.kind === 'phrase' || l.kind === 'near',
    );
    if (leaves.length === 0) return undefined;
    const parts = leaves.map(
      (leaf) =>
        `SELECT rowid >> ${SHIFT} AS conv, count(*) AS n FROM utterance_units WHERE utterance_units MATCH @${this.param(leafMatch(leaf))} GROUP BY conv`,
    );
    return `SELECT conv, sum(n) AS hits FROM (${parts.join(' UNION ALL ')}) GROUP BY conv`;
  }
}

/** WHERE fragments of the structured filters. */
export function filterConditions(filters: ConversationFilters | undefined, params: Params): string[] {
  if (filters === undefined) return [];
  const where: string[] = [];
  const f = filters;
  if (f.agentIds?.length) {
    where.push('c.agent_id IN (SELECT value FROM json_each(@agentIds))');
    params.agentIds = JSON.stringify(f.agentIds);
  }
  if (f.customerIds?.length) {
    where.push('c.customer_id IN (SELECT value FROM json_each(@customerIds))');
    params.customerIds = JSON.stringify(f.customerIds);
  }
  if (f.complaint !== undefined) where.push(`c.complaint = ${f.complaint ? 1 : 0}`);
  if (f.switchingIntent !== undefined) {
    where.push(
      `c.seq ${f.switchingIntent ? '' : 'NOT '}IN (SELECT seq FROM conversation_labels WHERE label >= 'switching:' AND label < 'switching;')`,
    );
  }
  const ranges: [number | undefined, string, string][] = [
    [f.sentimentMin, 'c.sentiment >=', 'sentimentMin'],
    [f.sentimentMax, 'c.sentiment <=', 'sentimentMax'],
    [f.minUtterances, 'c.utterance_count >=', 'minUtterances'],
    [f.maxUtterances, 'c.utterance_count <=', 'maxUtterances'],
  ];
  for (const [value, sql, name] of ranges) {
    if (value === undefined) continue;
    where.push(`${sql} @${name}`);
    params[name] = value;
  }
  labelKeyGroups(f).forEach((group, i) => {
    where.push(
      `c.seq IN (SELECT seq FROM conversation_labels WHERE label IN (SELECT value FROM json_each(@lg${i})))`,
    );
    params[`lg${i}`] = JSON.stringify(group);
  });
  return where;
}

/** Bucket start (Asia/Shanghai) of c.started_at_ms, as YYYY-MM-DD. */
export function bucketExpression(interval: HistogramInterval): string {
  const base = "c.started_at_ms / 1000, 'unixepoch', '+8 hours'";
  if (interval === 'day') return `date(${base})`;
  if (interval === 'week') return `date(${base}, 'weekday 0', '-6 days')`;
  return `date(${base}, 'start of month')`;
}
