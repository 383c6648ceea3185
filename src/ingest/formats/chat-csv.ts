import { parse } from 'csv-parse/sync';
import {
  CHAT_FIELDS,
  fieldOf,
  groupById,
  sessionsToConversations,
  type ChatField,
  type ChatRow,
} from './chat-rows.js';
import { firstLine } from './text-utils.js';
import { ParseFormatError, type FormatOutput, type ParseContext, type ParseIssue } from './types.js';

/*
 * Chat exports as CSV (or tab-separated) with a header row, one message per row:
 *   会话ID,时间,发送方,内容,客户号,坐席工号
 *   S20261101001,2026-11-01 10:00:05,客户,你好，我的信用卡被锁了,cust-1001,a-07
 * Columns are recognised by common English and Chinese names (see CHAT_FIELDS); content and sender
 * are required, the rest optional. Rows are grouped by conversation id and ordered by time; times
 * without offset are China Standard Time. GBK/GB18030 files are decoded before they get here.
 */

interface Record_ {
  record: string[];
  info: { lines: number };
}

export function parseChatCsv(text: string, ctx: ParseContext): FormatOutput {
  const header0 = firstLine(text);
  const delimiter = (header0.match(/\t/g)?.length ?? 0) > (header0.match(/,/g)?.length ?? 0) ? '\t' : ',';
  let records: Record_[];
  try {
    // With `info: true` each record comes as { record, info }; the typings do not follow the option.
    records = parse(text, {
      bom: true,
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as Record_[];
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new ParseFormatError(`${ctx.name} is not readable CSV`, [
      {
        where: `${ctx.name}${e.lines ? ` line ${e.lines}` : ''}`,
        message: `${e.message}: expected comma- or tab-separated values with a header row`,
      },
    ]);
  }
  const [header, ...body] = records;
  const columns = (header?.record ?? []).map((name) => fieldOf(name));
  const missing = (['content', 'sender'] as const).filter((f) => !columns.includes(f));
  if (!header || missing.length > 0) {
    const expected = missing.map((f) => `${f} (${CHAT_FIELDS[f].slice(0, 4).join('/')})`).join(' and ');
    throw new ParseFormatError(`${ctx.name} has no usable header row`, [
      {
        where: `${ctx.name} line 1`,
        message: `expected a header row naming ${expected} columns, got ${JSON.stringify((header?.record ?? []).join(delimiter)).slice(0, 120)}`,
      },
    ]);
  }
  const issues: ParseIssue[] = [];
  const rows: ChatRow[] = body.map(({ record, info }) => {
    const startLine = info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    const values: Partial<Record<ChatField, unknown>> = {};
    columns.forEach((field, i) => {
      const value = record[i]?.trim();
      if (field && values[field] === undefined && value) values[field] = value;
    });
    return { where: `${ctx.name} line ${startLine}`, values };
  });
  return sessionsToConversations(groupById(rows, ctx.name, issues), ctx, issues);
}
