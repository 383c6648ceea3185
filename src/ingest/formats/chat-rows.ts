import { finishConversations, type Draft } from './conversation-builder.js';
import type { JsonObject } from './json-input.js';
import { roleOfLabel } from './speaker-labels.js';
import { parseTimestamp } from './text-utils.js';
import type { Fragment } from './utterance-builder.js';
import type { FormatOutput, ParseContext, ParseIssue } from './types.js';
import { describeValue } from './zod-issues.js';

/** The columns (CSV) or keys (JSON) a chat export may carry, under the names chat platforms use. */
export const CHAT_FIELDS = {
  conversationId: [
    'conversationid',
    'conversation',
    'sessionid',
    'session',
    'chatid',
    'dialogid',
    '会话id',
    '会话编号',
    '会话',
    '对话id',
    '對話id',
    '會話id',
  ],
  time: [
    'time',
    'timestamp',
    'datetime',
    'createdat',
    'sentat',
    'sendtime',
    'msgtime',
    '时间',
    '時間',
    '发送时间',
    '發送時間',
    '消息时间',
  ],
  sender: [
    'sender',
    'role',
    'speaker',
    'from',
    'sendertype',
    '发送方',
    '發送方',
    '发送者',
    '角色',
    '发言人',
    '发言方',
    '说话人',
  ],
  content: [
    'content',
    'text',
    'message',
    'msg',
    'body',
    '内容',
    '內容',
    '消息',
    '消息内容',
    '聊天内容',
    '文本',
  ],
  customerId: ['customerid', 'custid', 'clientid', '客户号', '客戶號', '客户编号', '客户id'],
  agentId: ['agentid', 'staffid', 'agentno', '坐席工号', '坐席號', '坐席id', '客服工号', '工号'],
  startedAt: ['startedat', 'starttime', '开始时间', '會話開始時間', '会话开始时间'],
} as const;
export type ChatField = keyof typeof CHAT_FIELDS;

const BY_NAME = new Map<string, ChatField>(
  (Object.entries(CHAT_FIELDS) as [ChatField, readonly string[]][]).flatMap(([field, names]) =>
    names.map((n) => [n, field] as const),
  ),
);

/** "Session ID", "session_id", "会话ID" -> conversationId; undefined for columns we do not use. */
export function fieldOf(name: string): ChatField | undefined {
  return BY_NAME.get(
    name
      .trim()
      .toLowerCase()
      .replace(/[\s_\-.]/g, ''),
  );
}

export type ChatValues = Partial<Record<ChatField, unknown>>;

/** The recognised keys of one JSON message; the first key naming a field wins. */
export function fieldsOf(object: JsonObject): ChatValues {
  const values: ChatValues = {};
  for (const [key, value] of Object.entries(object)) {
    const field = fieldOf(key);
    if (field && values[field] === undefined) values[field] = value;
  }
  return values;
}

export interface ChatRow {
  where: string;
  values: ChatValues;
}

export interface ChatSession {
  where: string;
  id?: string;
  rows: ChatRow[];
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

/** Groups rows by their conversation id, in order of first appearance; no id column = one conversation. */
export function groupById(rows: ChatRow[], name: string, issues: ParseIssue[]): ChatSession[] {
  if (!rows.some((r) => r.values.conversationId !== undefined)) return [{ where: name, rows }];
  const sessions = new Map<string, ChatSession>();
  for (const row of rows) {
    const id = asText(row.values.conversationId)?.trim();
    if (!id) {
      issues.push({
        where: row.where,
        message: `skipped: expected a conversation id (会话ID / session_id), got ${describeValue(row.values.conversationId)}`,
      });
      continue;
    }
    let session = sessions.get(id);
    if (!session) sessions.set(id, (session = { where: `${name} conversation ${id}`, id, rows: [] }));
    session.rows.push(row);
  }
  return [...sessions.values()];
}

/**
 * Chat sessions -> native conversations, channel "chat": messages ordered by time (stable),
 * startedAt = the session's start or its first message, startMs = offset from it. Senders are
 * roles by name (客服/坐席/agent, 客户/用户/customer, 机器人/系统/bot) or by the speaker mapping;
 * the first-speaker convention applies only when the caller sets firstSpeaker, since in chat the
 * customer usually writes first.
 */
export function sessionsToConversations(
  sessions: ChatSession[],
  ctx: ParseContext,
  issues: ParseIssue[],
): FormatOutput {
  const drafts = sessions.map((session) => toDraft(session, issues));
  const out = finishConversations(drafts, ctx, {
    channel: 'chat',
    firstSpeakerRule: ctx.speakers.firstSpeaker !== undefined,
    speakerHint: 'add a sender column/key with values such as 客服 or 客户',
  });
  return { conversations: out.conversations, issues: [...issues, ...out.issues] };
}

function toDraft(session: ChatSession, issues: ParseIssue[]): Draft {
  const timed: { row: ChatRow; ms?: number; iso?: string; order: number }[] = [];
  session.rows.forEach((row, order) => {
    const { time } = row.values;
    if (time === undefined || time === null || time === '') {
      timed.push({ row, order });
      return;
    }
    const ts = parseTimestamp(time);
    if (!ts) {
      issues.push({
        where: row.where,
        message: `skipped: time ${describeValue(time)} is not a time: expected e.g. 2026-11-01 10:00:05 or 2026-11-01T10:00:05+08:00`,
      });
      return;
    }
    timed.push({ row, ms: ts.ms, iso: ts.iso, order });
  });
  // Order by time only when every message has one; otherwise the export's own order is the best there is.
  if (timed.every((t) => t.ms !== undefined))
    timed.sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0) || a.order - b.order);
  const first = timed.find((t) => t.ms !== undefined);
  const declared = session.rows.map((r) => parseTimestamp(r.values.startedAt)).find((t) => t !== undefined);
  const origin = declared?.ms ?? first?.ms;
  const fragments: Fragment[] = [];
  for (const { row, ms } of timed) {
    const text = asText(row.values.content);
    const sender = asText(row.values.sender)?.trim();
    if (text === undefined || !sender) {
      issues.push({
        where: row.where,
        message:
          text === undefined
            ? `skipped: expected message text (content/内容), got ${describeValue(row.values.content)}`
            : `skipped: expected a sender (sender/role/发送方), got ${describeValue(row.values.sender)}`,
      });
      continue;
    }
    const role = roleOfLabel(sender);
    fragments.push({
      where: row.where,
      text,
      speaker: sender,
      ...(role ? { role } : {}),
      ...(ms !== undefined && origin !== undefined && ms >= origin ? { startMs: ms - origin } : {}),
    });
  }
  const pick = (field: 'customerId' | 'agentId'): string | undefined =>
    session.rows.map((r) => asText(r.values[field])?.trim()).find((v) => v);
  const customerId = pick('customerId');
  const agentId = pick('agentId');
  const startedAt = declared?.iso ?? first?.iso;
  return {
    where: session.where,
    ...(session.id ? { id: session.id } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...(customerId ? { customerId } : {}),
    ...(agentId ? { agentId } : {}),
    fragments,
  };
}
