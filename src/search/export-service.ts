import { randomUUID } from 'node:crypto';
import { redactStrings } from '../pipeline/redact/redact-strings.js';
import type { AuditLog } from '../storage/types.js';
import type { Writable } from 'node:stream';
import { conversationCells } from './export-rows.js';
import { writeXlsx } from './export-xlsx.js';
import { SPEAKER_NAMES } from '../domain/label-names.js';
import type { SearchRequest, SearchResultItem, SearchService } from './search-service.js';

export type ExportFormat = 'csv' | 'ndjson' | 'xlsx';

/** Hard cap on one export, whatever the caller asks. */
export const MAX_EXPORT_ROWS = 50_000;

/** One row per conversation; headers and label names in Chinese, as the console shows them. */
const CSV_COLUMNS = [
  '会话ID',
  '开始时间(北京时间)',
  '渠道',
  '坐席',
  '客户',
  '是否投诉',
  '投诉类别',
  '升级倾向',
  '竞品',
  '转移意向(竞品)',
  '需求',
  '人生事件',
  '客户情绪(-1~1)',
  '匹配语句',
] as const;

/** Exports of search results (.xlsx and CSV for Excel, NDJSON for tools), each one written to the audit log. */
export class ExportService {
  constructor(
    private readonly search: SearchService,
    private readonly audit: AuditLog,
  ) {}

  /**
   * The export as text chunks: CSV starts with a UTF-8 BOM so Excel reads Chinese correctly.
   * Throws ValidationError on a bad query before the first chunk.
   */
  async *chunks(
    request: SearchRequest,
    format: 'csv' | 'ndjson',
    maxRows: number,
    progress: { rows: number },
  ): AsyncGenerator<string> {
    this.search.compile(request); // syntax errors surface before any byte is sent
    const rows = this.search.scan(request, Math.min(maxRows, MAX_EXPORT_ROWS));
    if (format === 'csv') yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
    let batch = '';
    for await (const item of rows) {
      batch += format === 'csv' ? `${csvRow(item)}\r\n` : `${JSON.stringify(item)}\n`;
      progress.rows++;
      if (batch.length > 64_000) {
        yield batch;
        batch = '';
      }
    }
    if (batch !== '') yield batch;
  }

  /** Throws ValidationError on a bad query, so the caller can answer 400 before any byte is sent. */
  check(request: SearchRequest): void {
    this.search.compile(request);
  }

  /** The .xlsx workbook streamed into `out` (which it ends); see export-xlsx.ts. */
  async writeXlsx(
    request: SearchRequest,
    maxRows: number,
    progress: { rows: number },
    out: Writable,
  ): Promise<void> {
    this.search.compile(request);
    await writeXlsx(this.search.scan(request, Math.min(maxRows, MAX_EXPORT_ROWS)), out, progress);
  }

  /** Appends who exported what, and how many rows left the system; numbers typed in are masked. */
  async record(entry: {
    actor: string;
    actorName: string;
    query: Record<string, unknown>;
    rows: number;
    format: ExportFormat;
  }): Promise<void> {
    await this.audit.append({
      id: randomUUID(),
      at: new Date().toISOString(),
      action: 'export',
      ...entry,
      actorName: redactStrings(entry.actorName),
      query: redactStrings(entry.query),
    });
  }

  listAudit(limit: number): ReturnType<AuditLog['list']> {
    return this.audit.list(limit);
  }
}

/** 2026-11-03T02:00:00Z -> 2026-11-03 10:00:00 (China Standard Time, which Excel reads as a date). */
export function beijingTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function csvRow(item: SearchResultItem): string {
  const c = conversationCells(item);
  const cells = [
    item.id,
    beijingTime(item.startedAt),
    c.channel,
    c.agent,
    c.customer,
    c.complaint,
    c.complaintCategories,
    c.escalation,
    c.competitors,
    c.switching,
    c.needs,
    c.lifeEvents,
    c.sentiment.toFixed(2),
    item.highlights.map((h) => `${SPEAKER_NAMES[h.speaker] ?? h.speaker}:${h.text}`).join(' | '),
  ];
  return cells.map(csvCell).join(',');
}

/**
 * Quotes when needed, and defuses text cells Excel would run as formulas (a leading = + - @).
 * Plain numbers such as -0.54 stay numbers.
 */
export function csvCell(value: string): string {
  const number = /^-?\d+(?:\.\d+)?$/.test(value);
  const safe = !number && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
