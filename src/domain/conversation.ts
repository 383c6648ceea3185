/** The native conversation of ../shared/taxonomy.md: what every ingest format is converted into. */
export const CHANNELS = ['call', 'chat'] as const;
export type Channel = (typeof CHANNELS)[number];

export const SPEAKERS = ['agent', 'customer', 'system'] as const;
export type Speaker = (typeof SPEAKERS)[number];

export interface Utterance {
  speaker: Speaker;
  text: string;
  startMs?: number;
  endMs?: number;
}

export interface Conversation {
  id: string;
  channel: Channel;
  /** ISO 8601 with offset, e.g. 2026-11-01T10:00:00+08:00 */
  startedAt: string;
  customerId?: string;
  agentId?: string;
  utterances: Utterance[];
}
