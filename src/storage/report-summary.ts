import type { StoredReport, StoredReportSummary } from './types.js';

/** A stored report without its body (what listings carry). */
export function reportSummary(record: StoredReport): StoredReportSummary {
  const summary: Partial<StoredReport> = { ...record };
  delete summary.report;
  return summary as StoredReportSummary;
}
