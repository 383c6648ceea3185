import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../storage/types.js';
import type { SearchRequest, SearchResultItem, SearchService } from './search-service.js';

export type ExportFormat = 'csv' | 'ndjson';

/** Hard cap on one export, whatever the caller asks. */
export const MAX_EXPORT_ROWS = 50_000;

const CSV_COLUMNS = [
  'id',
  'startedAt',
  'channel',
  'agentId',
  'customerId',
  'complaintCategories',
  'escalation',
  'competitors',
  'needs',
  'lifeEvents',
  'sentiment',
  'matchedSentences',
] as const;

/** Exports of search results (CSV for Excel, NDJSON for tools), each one written to the audit log. */
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
    format: ExportFormat,
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

  /** Appends who exported what, and how many rows left the system. */
  async record(entry: {
    actor: string;
    actorName: string;
    query: Record<string, unknown>;
    rows: number;
    format: ExportFormat;
  }): Promise<void> {
    await this.audit.append({ id: randomUUID(), at: new Date().toISOString(), action: 'export', ...entry });
  }

  listAudit(limit: number): ReturnType<AuditLog['list']> {
    return this.audit.list(limit);
  }
}

function csvRow(item: SearchResultItem): string {
  const a = item.analysis;
  const cells = [
    item.id,
    item.startedAt,
    item.channel,
    item.agentId ?? '',
    item.customerId ?? '',
    a.complaint.categories.join(';'),
    a.complaint.escalation.join(';'),
    a.competitors.map((c) => c.id).join(';'),
    a.needs.join(';'),
    a.lifeEvents.join(';'),
    String(a.sentiment.customer),
    item.highlights.map((h) => `${h.speaker}: ${h.text}`).join(' | '),
  ];
  return cells.map(csvCell).join(',');
}

/** Quotes when needed, and defuses cells Excel would run as formulas. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
