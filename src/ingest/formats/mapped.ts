import { parse } from 'csv-parse/sync';
import { groupById, sessionsToConversations, type ChatRow } from './chat-rows.js';
import { isObject, parseJsonFile, wrongShape } from './json-input.js';
import { firstLine } from './text-utils.js';
import {
  ParseFormatError,
  type ChatMapping,
  type FormatOutput,
  type ParseContext,
  type ParseIssue,
} from './types.js';
import { describeValue } from './zod-issues.js';

/*
 * Any other chat export, JSON or CSV, read through a mapping file (src/ingest/metadata/mapping.ts)
 * that says which field is the text, the speaker, the time and the session. The messages then go
 * the way of every chat export (chat-rows.ts): grouped by session, ordered by time, speakers by
 * role word or the mapping's roles.
 */

export function parseMapped(text: string, ctx: ParseContext): FormatOutput {
  const mapping = ctx.mapping;
  if (!mapping) {
    const message =
      'format "mapped" needs a mapping file (API multipart part "mapping", CLI --mapping mapping.yaml)';
    throw new ParseFormatError(`${ctx.name}: ${message}`, [{ where: ctx.name, message }]);
  }
  const trimmed = text.trimStart();
  const records =
    trimmed.startsWith('[') || trimmed.startsWith('{')
      ? jsonRecords(text, ctx, mapping)
      : csvRecords(text, ctx);
  const issues: ParseIssue[] = [];
  const rows: ChatRow[] = records.map(({ where, get }) => {
    const speaker = get(mapping.speaker);
    const key =
      typeof speaker === 'string' || typeof speaker === 'number' ? String(speaker).trim() : undefined;
    const role = key !== undefined ? mapping.roles?.[key] : undefined;
    const values: ChatRow['values'] = { content: get(mapping.text), sender: role ?? key };
    if (mapping.time) values.time = get(mapping.time);
    if (mapping.session) values.conversationId = get(mapping.session);
    if (mapping.customerId) values.customerId = get(mapping.customerId);
    if (mapping.agentId) values.agentId = get(mapping.agentId);
    return { where, values };
  });
  if (rows.length === 0) throw wrongShape(ctx, `${ctx.name} $`, 'at least one message', 'none');
  return sessionsToConversations(groupById(rows, ctx.name, issues), ctx, issues);
}

interface Record_ {
  where: string;
  get: (path: string) => unknown;
}

function dig(value: unknown, path: string): unknown {
  if (isObject(value) && Object.hasOwn(value, path)) return value[path];
  let at = value;
  for (const key of path.split('.')) {
    if (!isObject(at)) return undefined;
    at = at[key];
  }
  return at;
}

function jsonRecords(text: string, ctx: ParseContext, mapping: ChatMapping): Record_[] {
  const root = parseJsonFile(text, ctx, `JSON with the messages at ${mapping.records ?? 'the root'}`);
  const list = mapping.records ? dig(root, mapping.records) : root;
  const base = `${ctx.name} $${mapping.records ? `.${mapping.records}` : ''}`;
  if (!Array.isArray(list)) {
    throw wrongShape(
      ctx,
      base,
      `an array of messages (mapping "records": ${mapping.records ?? 'the root'})`,
      describeValue(list),
    );
  }
  return list.map((item, i) => ({ where: `${base}[${i}]`, get: (path) => dig(item, path) }));
}

function csvRecords(text: string, ctx: ParseContext): Record_[] {
  const header = firstLine(text);
  const delimiter = (header.match(/\t/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? '\t' : ',';
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (err) {
    throw new ParseFormatError(`${ctx.name} is not readable CSV`, [
      { where: ctx.name, message: `${(err as Error).message}: expected JSON or CSV with a header row` },
    ]);
  }
  const [names = [], ...body] = records;
  const columns = names.map((n) => n.trim());
  return body.map((record, i) => ({
    where: `${ctx.name} row ${i + 2}`,
    get: (path) => {
      const at = columns.indexOf(path);
      const value = at < 0 ? undefined : record[at]?.trim();
      return value === '' ? undefined : value;
    },
  }));
}
