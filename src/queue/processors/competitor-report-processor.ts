import type { Logger } from '../../logging/logger.js';
import type { ReportFacade } from '../../reports/report-facade.js';
import type { JobHandler, JobQueue } from '../types.js';

/** Monday 08:00 in Shanghai: the week that just ended is reported before the working week starts. */
export const WEEKLY_REPORT_CRON = '0 8 * * 1';
export const WEEKLY_REPORT_TZ = 'Asia/Shanghai';

/**
 * `competitor-report`: generates and stores the report of `week` (absent: the week before the run).
 * Idempotent: the report is stored under `competitors-<week>`, so a retry replaces it.
 */
export function createCompetitorReportProcessor(
  reports: ReportFacade,
  logger: Logger,
): JobHandler<'competitor-report'> {
  return async (job) => {
    const { summary, pdf } = await reports.generateWeeklyReport(job.data.week);
    logger.info({ jobId: job.id, report: summary.id, pdfBytes: pdf.length }, 'competitor report stored');
    return { id: summary.id };
  };
}

/** Declares the weekly schedule (harmless to repeat from every process). */
export function scheduleWeeklyReport(queue: JobQueue, logger: Logger, cron = WEEKLY_REPORT_CRON): void {
  queue
    .schedule({ name: 'competitor-report', data: {}, cron, tz: WEEKLY_REPORT_TZ })
    .catch((err: unknown) =>
      logger.warn({ err }, 'could not schedule the weekly competitor report; will try at next start'),
    );
}
