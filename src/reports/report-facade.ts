/** What the report routes and the CLI call: the report, its CSV and PDF renderings. */
import type {
  CompetitorReport,
  CompetitorReportRequest,
  CompetitorReportService,
} from './competitor-report-service.js';
import { renderReportPdf } from './pdf-renderer.js';
import { reportCsv } from './report-csv.js';

export class ReportFacade {
  constructor(readonly competitors: CompetitorReportService) {}

  async csv(request: CompetitorReportRequest): Promise<string> {
    return reportCsv(await this.competitors.build(request));
  }

  async pdf(request: CompetitorReportRequest): Promise<Buffer> {
    return renderReportPdf(await this.competitors.build(request));
  }

  /** A report already built (stored reports, the CLI) as PDF. */
  pdfOf(report: CompetitorReport): Promise<Buffer> {
    return renderReportPdf(report);
  }
}
