/** Generated reports on the embedded store: the record as JSON and the PDF as a BLOB (schema 4). */
import { reportSummary } from '../report-summary.js';
import { parseInstant } from '../search-query.js';
import type { ReportStore, StoredReport, StoredReportSummary } from '../types.js';
import { guard, type SqliteDatabase } from './database.js';

export class SqliteReportStore implements ReportStore {
  constructor(private readonly db: SqliteDatabase) {}

  async put(record: StoredReport, pdf: Buffer): Promise<void> {
    guard(this.db, () =>
      this.db
        .prepare(
          `INSERT INTO reports (id, from_ms, record, pdf) VALUES (?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET from_ms = excluded.from_ms, record = excluded.record, pdf = excluded.pdf`,
        )
        .run(record.id, parseInstant(record.from) ?? 0, JSON.stringify(record), pdf),
    );
  }

  async list(limit: number): Promise<StoredReportSummary[]> {
    const rows = guard(this.db, () =>
      this.db
        .prepare<[number], { record: string }>(
          'SELECT record FROM reports ORDER BY from_ms DESC, id ASC LIMIT ?',
        )
        .all(limit),
    );
    return rows.map((r) => reportSummary(JSON.parse(r.record) as StoredReport));
  }

  async get(id: string): Promise<StoredReport | undefined> {
    const row = guard(this.db, () =>
      this.db.prepare<[string], { record: string }>('SELECT record FROM reports WHERE id = ?').get(id),
    );
    return row === undefined ? undefined : (JSON.parse(row.record) as StoredReport);
  }

  async pdf(id: string): Promise<Buffer | undefined> {
    const row = guard(this.db, () =>
      this.db.prepare<[string], { pdf: Buffer }>('SELECT pdf FROM reports WHERE id = ?').get(id),
    );
    return row?.pdf;
  }
}
