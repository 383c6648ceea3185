/** The cells of one exported conversation, in Chinese, shared by the CSV and .xlsx exports. */
import {
  CHANNEL_NAMES,
  COMPETITOR_NAMES,
  COMPLAINT_CATEGORY_NAMES,
  ESCALATION_NAMES,
  LIFE_EVENT_NAMES,
  NEED_NAMES,
} from '../domain/label-names.js';
import type { SearchResultItem } from './search-service.js';

export interface ConversationCells {
  channel: string;
  agent: string;
  customer: string;
  complaint: '是' | '否';
  complaintCategories: string;
  escalation: string;
  competitors: string;
  switching: string;
  needs: string;
  lifeEvents: string;
  /** Customer sentiment, -1..1, rounded to two decimals. */
  sentiment: number;
}

const names = <K extends string>(table: Record<K, string>, ids: readonly K[]): string =>
  ids.map((id) => table[id] ?? id).join('、');

/** Label ids become the names the console shows; several values are joined with 、. */
export function conversationCells(item: SearchResultItem): ConversationCells {
  const a = item.analysis;
  return {
    channel: CHANNEL_NAMES[item.channel] ?? item.channel,
    agent: item.agentId ?? '',
    customer: item.customerId ?? '',
    complaint: a.complaint.is ? '是' : '否',
    complaintCategories: names(COMPLAINT_CATEGORY_NAMES, a.complaint.categories),
    escalation: names(ESCALATION_NAMES, a.complaint.escalation),
    competitors: names(
      COMPETITOR_NAMES,
      a.competitors.map((c) => c.id),
    ),
    switching: names(
      COMPETITOR_NAMES,
      a.competitors.filter((c) => c.switchingIntent).map((c) => c.id),
    ),
    needs: names(NEED_NAMES, a.needs),
    lifeEvents: names(LIFE_EVENT_NAMES, a.lifeEvents),
    sentiment: Math.round(a.sentiment.customer * 100) / 100,
  };
}
