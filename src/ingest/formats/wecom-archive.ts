import { sessionsToConversations, type ChatSession } from './chat-rows.js';
import { isObject, wrongShape, type JsonObject } from './json-input.js';
import { ParseFormatError, type FormatOutput, type ParseContext, type ParseIssue } from './types.js';
import { describeValue } from './zod-issues.js';

/*
 * 企业微信 会话内容存档 (WeCom chat archive), the messages as the SDK returns them once decrypted:
 *   {"msgid":"…","action":"send","from":"zhangsan","tolist":["wmXXXX"],"roomid":"",
 *    "msgtime":1547087894783,"msgtype":"text","text":{"content":"…"}}
 * one per line (as archive tools write them) or in a JSON array. Senders whose id starts with
 * wo/wm are external contacts (the customers), wb robots (system), any other id a member of the bank
 * (the agent). A group chat (roomid) is one conversation, a one-to-one chat another, split where
 * the chat pauses for more than four hours; `switch` and `recall` actions and media carry no text
 * and are dropped. Ids: customer = the external contact, agent = the member,
 * conversation = wecom-<room or member-contact>-<epoch second of its first message>.
 */

const EXPECTED =
  'WeCom chat-archive messages, one per line or in an array: { "msgid", "action", "from", "tolist", "roomid", "msgtime", "msgtype", "text": { "content" } }';
const PAUSE_MS = 4 * 3600 * 1000;

/** True for a decrypted archive message (used by detection too). */
export function isWecomArchiveMessage(value: unknown): boolean {
  return isObject(value) && 'msgid' in value && 'action' in value && ('msgtime' in value || 'time' in value);
}

const roleOf = (id: string): 'customer' | 'system' | 'agent' =>
  /^w[om]/.test(id) ? 'customer' : /^wb/.test(id) ? 'system' : 'agent';

export function parseWecomArchive(text: string, ctx: ParseContext): FormatOutput {
  const issues: ParseIssue[] = [];
  const messages = readMessages(text, ctx, issues);
  const sessions: ChatSession[] = [];
  const open = new Map<string, { session: ChatSession; last: number }>();
  for (const { where, m } of messages) {
    if (m.action !== 'send') continue; // switch (account change), recall
    const content = contentOf(m);
    if (content === undefined) continue;
    const from = typeof m.from === 'string' ? m.from.trim() : '';
    const to = Array.isArray(m.tolist) ? m.tolist.filter((t): t is string => typeof t === 'string') : [];
    const time = Number(m.msgtime);
    if (!from || !Number.isFinite(time) || (!m.roomid && to.length === 0)) {
      issues.push({
        where,
        message: `skipped: expected from, tolist (or roomid) and msgtime, got ${describeValue(m)}`,
      });
      continue;
    }
    const room = typeof m.roomid === 'string' && m.roomid.trim() ? m.roomid.trim() : undefined;
    const key = room ?? [from, to[0]!].sort().join('-');
    let entry = open.get(key);
    if (!entry || time - entry.last > PAUSE_MS) {
      const id = `wecom-${key}-${Math.floor(time / 1000)}`; // seconds: 13 digits would read as a card number
      entry = { session: { where: `${ctx.name} conversation ${id}`, id, rows: [] }, last: time };
      sessions.push(entry.session);
      open.set(key, entry);
    }
    entry.last = Math.max(entry.last, time);
    const role = roleOf(from);
    const customer = role === 'customer' ? from : to.find((t) => roleOf(t) === 'customer');
    const agent = role === 'agent' ? from : to.find((t) => roleOf(t) === 'agent');
    entry.session.rows.push({
      where,
      values: {
        time,
        sender: role,
        content,
        ...(customer ? { customerId: customer } : {}),
        ...(agent ? { agentId: agent } : {}),
      },
    });
  }
  if (sessions.length === 0) throw wrongShape(ctx, `${ctx.name} $`, EXPECTED, 'no text message');
  return sessionsToConversations(sessions, ctx, issues);
}

function readMessages(
  text: string,
  ctx: ParseContext,
  issues: ParseIssue[],
): { where: string; m: JsonObject }[] {
  const trimmed = text.trim();
  const whole = trimmed.startsWith('{') ? tryJson(trimmed) : undefined;
  if (isObject(whole)) return [{ where: `${ctx.name} $`, m: whole }];
  if (trimmed.startsWith('[')) {
    let list: unknown;
    try {
      list = JSON.parse(trimmed);
    } catch (err) {
      throw new ParseFormatError(`${ctx.name} is not valid JSON`, [
        { where: ctx.name, message: `not valid JSON (${(err as Error).message}): expected ${EXPECTED}` },
      ]);
    }
    return keep(
      (list as unknown[]).map((m, i) => ({ where: `${ctx.name} $[${i}]`, m })),
      issues,
    );
  }
  const lines = text.split('\n').map((line, i) => ({ line: line.trim(), n: i + 1 }));
  return keep(
    lines
      .filter(({ line }) => line !== '')
      .map(({ line, n }) => {
        const where = `${ctx.name} line ${n}`;
        try {
          return { where, m: JSON.parse(line) as unknown };
        } catch (err) {
          return { where, m: undefined, error: (err as Error).message };
        }
      }),
    issues,
  );
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function keep(
  items: { where: string; m: unknown; error?: string }[],
  issues: ParseIssue[],
): { where: string; m: JsonObject }[] {
  return items.flatMap(({ where, m, error }) => {
    if (isObject(m)) return [{ where, m }];
    issues.push({
      where,
      message: `skipped: ${error ? `not valid JSON (${error})` : `got ${describeValue(m)}`}: expected ${EXPECTED}`,
    });
    return [];
  });
}

/** The readable text of a message: text, markdown, link, location, mini program; undefined for media. */
function contentOf(m: JsonObject): string | undefined {
  const body = isObject(m[String(m.msgtype)]) ? (m[String(m.msgtype)] as JsonObject) : {};
  const parts =
    m.msgtype === 'text' || m.msgtype === 'markdown'
      ? [body.content]
      : m.msgtype === 'link'
        ? [body.title, body.description]
        : m.msgtype === 'location'
          ? [body.title, body.address]
          : m.msgtype === 'weapp'
            ? [body.title]
            : [];
  const text = parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(' ');
  return text || undefined;
}
