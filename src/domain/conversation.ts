/** The native conversation of ../shared/taxonomy.md: what every ingest format is converted into. */
export const CHANNELS = ['call', 'chat'] as const;
export type Channel = (typeof CHANNELS)[number];

export const SPEAKERS = ['agent', 'customer', 'system'] as const;
export type Speaker = (typeof SPEAKERS)[number];

/**
 * Where a conversation's start time came from, when not from the uploaded file itself: the upload's
 * manifest, its file name (namePattern), the uploader's `startedAt` parameter, or, when nothing gave
 * one, the time the upload was received (the console shows those as undated at source). Absent: the
 * file carried it.
 */
export const STARTED_AT_SOURCES = ['manifest', 'name', 'query', 'received'] as const;
export type StartedAtSource = (typeof STARTED_AT_SOURCES)[number];

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
  startedAtSource?: StartedAtSource;
  customerId?: string;
  agentId?: string;
  utterances: Utterance[];
}
