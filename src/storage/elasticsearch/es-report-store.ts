/** Generated reports on Elasticsearch: the record (not indexed) and the PDF as a binary field. */
import type { Client } from '@elastic/elasticsearch';
import { parseInstant } from '../search-query.js';
import type { ReportStore, StoredReport, StoredReportSummary } from '../types.js';
import { request } from './client.js';

interface ReportSource {
  id: string;
  from: number;
  record: StoredReport;
  /** base64 */
  pdf: string;
}

export class ElasticsearchReportStore implements ReportStore {
  constructor(
    private readonly client: Client,
    readonly alias: string,
  ) {}

  async put(record: StoredReport, pdf: Buffer): Promise<void> {
    const document: ReportSource = {
      id: record.id,
      from: parseInstant(record.from) ?? 0,
      record,
      pdf: pdf.toString('base64'),
    };
    await request('store report', () =>
      this.client.index({ index: this.alias, id: record.id, document, refresh: true }),
    );
  }

  async list(limit: number): Promise<StoredReportSummary[]> {
    const response = await request('list reports', () =>
      this.client.search<ReportSource>({
        index: this.alias,
        sort: [{ from: 'desc' }, { id: 'asc' }],
        size: limit,
        _source_excludes: ['pdf', 'record.report'],
      }),
    );
    return response.hits.hits.flatMap((h) => (h._source === undefined ? [] : [h._source.record]));
  }

  async get(id: string): Promise<StoredReport | undefined> {
    const response = await request('get report', () =>
      this.client.get<ReportSource>({ index: this.alias, id, _source_excludes: ['pdf'] }, { ignore: [404] }),
    );
    return response.found ? response._source?.record : undefined;
  }

  async pdf(id: string): Promise<Buffer | undefined> {
    const response = await request('get report PDF', () =>
      this.client.get<ReportSource>({ index: this.alias, id, _source_includes: ['pdf'] }, { ignore: [404] }),
    );
    const pdf = response.found ? response._source?.pdf : undefined;
    return pdf === undefined ? undefined : Buffer.from(pdf, 'base64');
  }
}
