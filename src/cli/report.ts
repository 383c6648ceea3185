import fs from 'node:fs';
import { loadConfig } from '../config/env.js';
import { createReportAdmin } from '../container.js';
import { reportCsv } from '../reports/report-csv.js';
import type { CompetitorReport } from '../reports/competitor-report-service.js';

export interface ReportOptions {
  week?: string;
  out: string;
  format?: 'pdf' | 'csv' | 'json';
}

/**
 * `voc report competitors --week 2026-W45 --out report.pdf`: generates the week's competitor report on
 * the configured store exactly as the weekly job does (and stores it, replacing an earlier run), then
 * writes it as PDF, CSV or JSON (by --format, else the file extension). No server needed.
 */
export async function runReportCompetitors(options: ReportOptions): Promise<void> {
  const format =
    options.format ??
    (/\.(csv|json)$/i.exec(options.out)?.[1]?.toLowerCase() as 'csv' | 'json' | undefined) ??
    'pdf';
  const admin = await createReportAdmin(loadConfig());
  try {
    const { summary, pdf } = await admin.reports.generateWeeklyReport(options.week);
    let body: Buffer | string = pdf;
    if (format !== 'pdf') {
      const record = await admin.reports.stored(summary.id, 'json');
      const report = (record as { report: CompetitorReport }).report;
      body = format === 'csv' ? reportCsv(report) : `${JSON.stringify(report, null, 2)}\n`;
    }
    if (options.out === '-') process.stdout.write(body);
    else fs.writeFileSync(options.out, body);
    process.stderr.write(
      `${summary.title} (${summary.from.slice(0, 10)} – ${summary.to.slice(0, 10)}) stored as ${summary.id}; ${format.toUpperCase()} written to ${options.out === '-' ? 'stdout' : options.out}\n`,
    );
  } finally {
    await admin.close();
  }
}
