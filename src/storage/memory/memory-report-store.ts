/** Generated reports in memory (unit tests). */
import { reportSummary } from '../report-summary.js';
import { parseInstant } from '../search-query.js';
import type { ReportStore, StoredReport, StoredReportSummary } from '../types.js';

export class MemoryReportStore implements ReportStore {
  private readonly records = new Map<string, { record: StoredReport; pdf: Buffer }>();

  async put(record: StoredReport, pdf: Buffer): Promise<void> {
    this.records.set(record.id, { record: structuredClone(record), pdf: Buffer.from(pdf) });
  }

  async list(limit: number): Promise<StoredReportSummary[]> {
    return [...this.records.values()]
      .map((r) => r.record)
      .sort(
        (a, b) =>
          (parseInstant(b.from) ?? 0) - (parseInstant(a.from) ?? 0) ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      )
      .slice(0, limit)
      .map((r) => structuredClone(reportSummary(r)));
  }

  async get(id: string): Promise<StoredReport | undefined> {
    const r = this.records.get(id);
    return r === undefined ? undefined : structuredClone(r.record);
  }

  async pdf(id: string): Promise<Buffer | undefined> {
    const r = this.records.get(id);
    return r === undefined ? undefined : Buffer.from(r.pdf);
  }
}
