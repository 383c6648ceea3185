/**
 * What the report routes, the CLI and the weekly job call: the report of any period, its CSV and PDF
 * renderings, and the stored weekly reports.
 */
import type { CompetitorId } from '../domain/labels.js';
import { AppError, NotFoundError, ValidationError } from '../errors.js';
import type { PipelineReloadReport } from '../pipeline/run-pipeline.js';
import type { ReanalysisProgress, ReanalysisService } from '../reanalysis/reanalysis-service.js';
import { reportSummary } from '../storage/report-summary.js';
import type { ReportStore, StoredReport, StoredReportSummary } from '../storage/types.js';
import type {
  CompetitorReport,
  CompetitorReportRequest,
  CompetitorReportService,
} from './competitor-report-service.js';
import { isoWeekPeriod, previousIsoWeek } from './period.js';
import { renderReportPdf } from './pdf-renderer.js';
import { reportCsv } from './report-csv.js';
import { addCompetitorName, restoreTaxonomy } from './taxonomy-names.js';
import type { ReportVocabulary } from './vocabulary.js';

export type ReportFormat = 'json' | 'pdf' | 'csv';

/** What "add to taxonomy" needs: only the API process of the service has it. */
export interface TaxonomyDeps {
  modelsDir: string;
  vocabulary: () => ReportVocabulary;
  /** Reloads the taxonomy here (throws when invalid) and in every other process. */
  reload: () => Promise<PipelineReloadReport>;
  reanalysis: ReanalysisService;
}

export class ReportFacade {
  constructor(
    readonly competitors: CompetitorReportService,
    private readonly store: ReportStore,
    private readonly now: () => Date = () => new Date(),
    private readonly renderPdf: (report: CompetitorReport) => Promise<Buffer> = renderReportPdf,
    private readonly taxonomy?: TaxonomyDeps,
  ) {}

  /**
   * "Add to taxonomy" for an emerging name: writes it into competitors.yaml (names of `id`, default
   * other_bank), reloads the taxonomy in every process (an invalid result is undone) and starts a
   * dry-run re-analysis, whose report (GET /v1/admin/reanalysis) says what would change per label.
   */
  async addToTaxonomy(
    name: string,
    id: CompetitorId = 'other_bank',
  ): Promise<{
    added: { id: CompetitorId; name: string };
    versions: PipelineReloadReport['versions'];
    reanalysis: ReanalysisProgress;
  }> {
    const t = this.taxonomy;
    if (t === undefined) throw new AppError(503, 'unavailable', 'This process cannot edit the taxonomy');
    if (t.reanalysis.status().state === 'running')
      throw new AppError(409, 'conflict', 'A re-analysis is running; add the name when it has finished');
    const edit = addCompetitorName(t.modelsDir, id, name.trim(), t.vocabulary());
    let versions: PipelineReloadReport['versions'];
    try {
      versions = (await t.reload()).versions;
    } catch (err) {
      restoreTaxonomy(edit);
      throw new AppError(400, 'invalid_taxonomy', err instanceof Error ? err.message : String(err));
    }
    return { added: { id, name: name.trim() }, versions, reanalysis: t.reanalysis.start({ dryRun: true }) };
  }

  async csv(request: CompetitorReportRequest): Promise<string> {
    return reportCsv(await this.competitors.build(request));
  }

  async pdf(request: CompetitorReportRequest): Promise<Buffer> {
    return this.renderPdf(await this.competitors.build(request));
  }

  /**
   * Builds the competitor report of an ISO week (Monday to Sunday, Asia/Shanghai; default: the week
   * before now, what the Monday 08:00 run reports on), prints its PDF and stores both under
   * `competitors-<week>`, replacing an earlier run of the same week. The weekly job calls this.
   */
  async generateWeeklyReport(week?: string): Promise<{ summary: StoredReportSummary; pdf: Buffer }> {
    const w = week ?? previousIsoWeek(this.now().getTime());
    const period = isoWeekPeriod(w);
    if (Date.parse(period.from) > this.now().getTime()) {
      const message = `${w} has not started yet (it starts ${period.from.slice(0, 10)})`;
      throw new ValidationError(`Invalid week: ${message}`, [{ where: 'week', message }]);
    }
    const report = await this.competitors.build({ ...period, interval: 'week' });
    const pdf = await this.renderPdf(report);
    const record: StoredReport = {
      id: `competitors-${w}`,
      kind: 'competitors',
      title: `竞品分析报告 ${w}`,
      week: w,
      ...period,
      createdAt: this.now().toISOString(),
      report,
    };
    await this.store.put(record, pdf);
    return { summary: reportSummary(record), pdf };
  }

  /** Stored reports, newest period first. */
  list(limit: number): Promise<StoredReportSummary[]> {
    return this.store.list(limit);
  }

  /** A stored report in a format; NotFoundError when no report has that id. */
  async stored(id: string, format: ReportFormat): Promise<StoredReport | Buffer | string> {
    if (format === 'pdf') {
      const pdf = await this.store.pdf(id);
      if (pdf === undefined) throw new NotFoundError(`Report ${id}`);
      return pdf;
    }
    const record = await this.store.get(id);
    if (record === undefined) throw new NotFoundError(`Report ${id}`);
    return format === 'csv' ? reportCsv(record.report as CompetitorReport) : record;
  }
}
