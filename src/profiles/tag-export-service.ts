import { randomUUID } from 'node:crypto';
import type { Tag } from '../domain/tag.js';
import { beijingTime, csvCell } from '../search/export-service.js';
import {
  COMPETITOR_NAMES,
  COMPLAINT_CATEGORY_NAMES,
  ESCALATION_NAMES,
  LIFE_EVENT_NAMES,
  NEED_NAMES,
  SPEAKER_NAMES,
} from '../domain/label-names.js';
import type { AuditLog } from '../storage/types.js';
import type { ProfileService } from './profile-service.js';

export type TagExportFormat = 'csv' | 'ndjson';

/** One row per active tag; headers in Chinese for the CRM team's Excel, keys as the API gives them. */
const CSV_COLUMNS = [
  '客户ID',
  '标签',
  '标签名称',
  '版本',
  '首次出现(北京时间)',
  '最近确认(北京时间)',
  '有效期至(北京时间)',
  '会话次数',
  '置信度',
  '来源',
  '证据会话ID',
  '证据时间(北京时间)',
  '证据语句',
] as const;

/** One exported tag: the customer and the tag as GET /v1/customers/:id shows it. */
export interface TagExportRow {
  customerId: string;
  tag: Tag;
}

/**
 * Bulk export of every active tag for a CRM's batch import, streamed from the profile snapshot, each
 * export written to the audit log. The snapshot starts with the tag feed's cursor, which the answer
 * carries so an importer can continue with the feed (or webhooks) from there.
 */
export class TagExportService {
  constructor(
    private readonly profiles: Pick<ProfileService, 'snapshot'>,
    private readonly audit: AuditLog,
  ) {}

  /** The cursor to continue the feed from, and the export as text chunks (CSV starts with a BOM). */
  async open(
    format: TagExportFormat,
    progress: { rows: number },
  ): Promise<{ cursor: string; chunks: AsyncGenerator<string> }> {
    const snapshot = this.profiles.snapshot();
    const first = await snapshot.next();
    const cursor = !first.done && 'cursor' in first.value ? first.value.cursor : '';
    return { cursor, chunks: render(snapshot, format, progress) };
  }

  /** Appends who exported the tags and how many rows left the system. */
  async record(entry: {
    actor: string;
    actorName: string;
    rows: number;
    format: TagExportFormat;
  }): Promise<void> {
    await this.audit.append({
      id: randomUUID(),
      at: new Date().toISOString(),
      action: 'tag-export',
      query: {},
      ...entry,
    });
  }
}

async function* render(
  snapshot: AsyncGenerator<TagExportRow | { cursor: string }>,
  format: TagExportFormat,
  progress: { rows: number },
): AsyncGenerator<string> {
  if (format === 'csv') yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
  let batch = '';
  for await (const item of snapshot) {
    if (!('tag' in item)) continue;
    batch += format === 'csv' ? `${csvRow(item)}\r\n` : `${JSON.stringify(item)}\n`;
    progress.rows++;
    if (batch.length > 64_000) {
      yield batch;
      batch = '';
    }
  }
  if (batch !== '') yield batch;
}

function csvRow({ customerId, tag }: TagExportRow): string {
  const evidence = tag.evidence[0];
  const cells = [
    customerId,
    tag.key,
    tagName(tag.key),
    String(tag.version),
    beijingTime(tag.firstSeen),
    beijingTime(tag.lastQualified),
    beijingTime(tag.validUntil),
    String(tag.count),
    tag.confidence.toFixed(2),
    tag.source === 'crm' ? 'CRM' : '会话',
    evidence?.conversationId ?? '',
    evidence ? beijingTime(evidence.at) : '',
    evidence ? `${SPEAKER_NAMES[evidence.speaker] ?? evidence.speaker}:${evidence.quote}` : '',
  ];
  return cells.map(csvCell).join(',');
}

/** 需求:房贷, 投诉:收费, 竞品:招商银行(利率)… ; an id the tables do not know stays as it is. */
export function tagName(key: string): string {
  if (key === 'complaint.open') return '投诉未解决';
  if (key === 'consent.do_not_market') return '勿营销';
  const [family = '', id = '', aspect] = key.split('.');
  const name = (table: Record<string, string>) => table[id] ?? id;
  switch (family) {
    case 'need':
      return `需求:${name(NEED_NAMES)}`;
    case 'need_declined':
      return `拒绝:${name(NEED_NAMES)}`;
    case 'life':
      return `人生事件:${name(LIFE_EVENT_NAMES)}`;
    case 'complaint':
      return `投诉:${name(COMPLAINT_CATEGORY_NAMES)}`;
    case 'escalation':
      return `升级:${name(ESCALATION_NAMES)}`;
    case 'competitor':
      return `竞品:${name(COMPETITOR_NAMES)}${aspect ? `(${aspect})` : ''}`;
    case 'switching':
      return `转移意向:${name(COMPETITOR_NAMES)}`;
    default:
      return key;
  }
}
