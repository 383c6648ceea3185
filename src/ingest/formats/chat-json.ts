import { fieldsOf, groupById, sessionsToConversations, type ChatRow, type ChatSession } from './chat-rows.js';
import { isObject, parseJsonFile, wrongShape, type JsonObject } from './json-input.js';
import type { FormatOutput, ParseContext, ParseIssue } from './types.js';
import { describeValue } from './zod-issues.js';

/*
 * Chat exports as JSON, in either of two shapes:
 *   { "sessions": [ { "id": "S1", "customerId"?, "agentId"?, "startedAt"?,
 *                     "messages": [ { "time", "sender" | "role", "content" | "text" } ] } ] }
 *   [ { "sessionId", "time", "sender" | "role", "content" | "text", "customerId"?, "agentId"? } ]
 * (and { "messages": [ … ] } for a single session). Keys are recognised by the same English and
 * Chinese names as chat-csv columns (sessionId/session_id/会话ID, sender/role/发送方, content/内容 …).
 */

const EXPECTED =
  '{ "sessions": [ { "id", "messages": [ { "time", "sender", "content" } ] } ] } or an array of { "sessionId", "time", "sender", "content" }';

export function parseChatJson(text: string, ctx: ParseContext): FormatOutput {
  const root = parseJsonFile(text, ctx, EXPECTED);
  const issues: ParseIssue[] = [];
  let sessions: ChatSession[];
  if (Array.isArray(root)) {
    sessions = groupById(messages(root, `${ctx.name} $`, {}, issues), ctx.name, issues);
  } else if (isObject(root) && Array.isArray(root.sessions)) {
    sessions = root.sessions.flatMap((s, i) => session(s, `${ctx.name} $.sessions[${i}]`, issues));
  } else if (isObject(root) && Array.isArray(root.messages)) {
    sessions = session(root, `${ctx.name} $`, issues);
  } else {
    throw wrongShape(ctx, `${ctx.name} $`, EXPECTED, describeValue(root));
  }
  if (sessions.length === 0) throw wrongShape(ctx, `${ctx.name} $`, EXPECTED, 'no messages');
  return sessionsToConversations(sessions, ctx, issues);
}

function session(value: unknown, where: string, issues: ParseIssue[]): ChatSession[] {
  if (!isObject(value) || !Array.isArray(value.messages)) {
    issues.push({
      where,
      message: `skipped: expected a session { "id", "messages": [ … ] }, got ${describeValue(value)}`,
    });
    return [];
  }
  const meta: JsonObject = { ...value };
  delete meta.messages;
  const shared = fieldsOf(meta.id !== undefined ? { ...meta, sessionId: meta.id } : meta);
  const rows = messages(value.messages, `${where}.messages`, shared, issues);
  const id =
    typeof shared.conversationId === 'string'
      ? shared.conversationId.trim()
      : typeof shared.conversationId === 'number'
        ? String(shared.conversationId)
        : '';
  return [{ where, ...(id ? { id } : {}), rows }];
}

function messages(
  list: unknown[],
  base: string,
  shared: ReturnType<typeof fieldsOf>,
  issues: ParseIssue[],
): ChatRow[] {
  const rows: ChatRow[] = [];
  list.forEach((m, i) => {
    const where = `${base}[${i}]`;
    if (!isObject(m)) {
      issues.push({
        where,
        message: `skipped: expected a message object { "time", "sender", "content" }, got ${describeValue(m)}`,
      });
      return;
    }
    rows.push({ where, values: { ...shared, ...fieldsOf(m as JsonObject) } });
  });
  return rows;
}
