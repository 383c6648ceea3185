import type { Channel, Conversation, Speaker } from '../../domain/conversation.js';

export const FORMATS = [
  'native-json',
  'native-ndjson',
  'text',
  'aliyun',
  'iflytek',
  'tencent',
  'aws-transcribe',
  'whisper',
  'webvtt',
  'srt',
  'chat-csv',
  'chat-json',
  'wechat-kf',
  'wecom-archive',
  'mapped',
] as const;
export type FormatId = (typeof FORMATS)[number];

export interface SpeakerMapping {
  /** vendor speaker/channel id (string, e.g. "0","1","spk_0","SPEAKER_00","A") -> role */
  map?: Record<string, Speaker>;
  /** default: first speaker heard is the agent (contact-center convention: the agent greets) */
  firstSpeaker?: 'agent' | 'customer';
}

/** Where the text, speaker, time and session of a message are in another chat export (`mapped`). */
export interface ChatMapping {
  records?: string;
  text: string;
  speaker: string;
  time?: string;
  session?: string;
  customerId?: string;
  agentId?: string;
  /** speaker values -> roles */
  roles?: Record<string, Speaker>;
}

/** What is known about a file from outside it: a manifest row, or its name read with a namePattern. */
export interface FileFacts {
  id?: string;
  /** ISO 8601 with offset */
  startedAt?: string;
  channel?: Channel;
  agentId?: string;
  customerId?: string;
}

export interface ParseOptions {
  filename?: string;
  format?: FormatId;
  speakers?: SpeakerMapping;
  /** used when the file has no id/time: ids derive from filename + content hash */
  defaults?: { channel?: Channel; startedAt?: string };
  /**
   * The file's manifest row: the recording system's own statement, so it wins over what a
   * one-conversation file says; in a file of several conversations it fills only what they lack.
   */
  manifest?: FileFacts;
  /** Facts read from the file name: fill what the file and the manifest do not say. */
  fromName?: FileFacts;
  /**
   * When nothing (file, manifest, name, `defaults.startedAt`) gives a start time, use this one (the
   * time the upload was received) and mark the conversation startedAtSource "received". Without it
   * such a conversation is refused with an issue (voc convert has no "received").
   */
  receivedAt?: string;
  /** For any other JSON/CSV chat export: where its fields are (implies format `mapped`). */
  mapping?: ChatMapping;
}

export interface ParseIssue {
  /** e.g. "calls.ndjson line 12", "upload.json $[3].utterances[0].speaker", "a.srt cue 4" */
  where: string;
  /** what was wrong AND what was expected */
  message: string;
}

export interface ParseResult {
  format: FormatId;
  conversations: Conversation[];
  issues: ParseIssue[];
}

/** Thrown only when the whole file is unusable; per-item problems are ParseResult.issues instead. */
export class ParseFormatError extends Error {
  constructor(
    message: string,
    readonly issues: ParseIssue[],
  ) {
    super(message);
    this.name = 'ParseFormatError';
  }
}

/** What every format parser knows about the upload besides its text. */
export interface ParseContext {
  /** file name as shown in issues ("upload" when none was given) */
  name: string;
  /** file name without directory and extension, the prefix of derived ids */
  stem: string;
  /** first 12 hex digits of sha256 of the raw bytes, the suffix of derived ids */
  hash: string;
  speakers: SpeakerMapping;
  defaults: { channel?: Channel; startedAt?: string };
  manifest: FileFacts;
  fromName: FileFacts;
  receivedAt?: string;
  mapping?: ChatMapping;
}

export interface FormatOutput {
  conversations: Conversation[];
  issues: ParseIssue[];
}

export type FormatParser = (text: string, ctx: ParseContext) => FormatOutput;
