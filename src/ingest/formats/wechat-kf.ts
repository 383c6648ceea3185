import { sessionsToConversations, type ChatRow, type ChatSession } from './chat-rows.js';
import { isObject, parseJsonFile, wrongShape, type JsonObject } from './json-input.js';
import type { FormatOutput, ParseContext, ParseIssue } from './types.js';
import { describeValue } from './zod-issues.js';

/*
 * 微信客服 (WeChat Customer Service), the kf/sync_msg response as the API returns it:
 *   { "errcode": 0, "errmsg": "ok", "next_cursor": "…", "has_more": 0, "msg_list": [
 *       { "msgid", "open_kfid", "external_userid", "send_time": 1615478585, "origin": 3,
 *         "servicer_userid"?, "msgtype": "text", "text": { "content": "…" } },
 *       { "msgid", "send_time", "origin": 4, "msgtype": "event",
 *         "event": { "event_type": "enter_session", "open_kfid", "external_userid", … } } ] }
 * Also accepted: an array of such responses (one per page pulled) or the msg_list array alone.
 * origin 3 is the customer (微信客户), 5 the agent (接待人员), 4 the system; events carry no speech
 * and are dropped, but an enter_session event starts a new conversation of that customer with
 * that account. Ids: customer = external_userid, agent = servicer_userid (else the account,
 * open_kfid), conversation = open_kfid-external_userid-<send_time of its first message>.
 */

const EXPECTED =
  'a WeChat kf/sync_msg response { "msg_list": [ { "open_kfid", "external_userid", "send_time", "origin", "msgtype", "text": { "content" } } ] }';

const ROLE_OF_ORIGIN: Record<number, string> = { 3: 'customer', 4: 'system', 5: 'agent' };

/** True for a sync_msg response, a list of them, or a bare msg_list (used by detection too). */
export function looksLikeWechatKf(value: unknown): boolean {
  const first = Array.isArray(value) ? value.find(isObject) : value;
  if (!isObject(first)) return false;
  if (Array.isArray(first.msg_list)) return true;
  return 'open_kfid' in first && 'origin' in first && 'msgtype' in first;
}

export function parseWechatKf(text: string, ctx: ParseContext): FormatOutput {
  const root = parseJsonFile(text, ctx, EXPECTED);
  if (!looksLikeWechatKf(root)) throw wrongShape(ctx, `${ctx.name} $`, EXPECTED, describeValue(root));
  const messages: { where: string; m: unknown }[] = [];
  const pages =
    Array.isArray(root) && root.some((p) => isObject(p) && Array.isArray(p.msg_list)) ? root : [root];
  pages.forEach((page, p) => {
    const base = pages.length > 1 ? `${ctx.name} $[${p}]` : `${ctx.name} $`;
    const list = isObject(page) ? page.msg_list : page;
    if (!Array.isArray(list)) return;
    list.forEach((m, i) => messages.push({ where: `${base}${isObject(page) ? '.msg_list' : ''}[${i}]`, m }));
  });
  const issues: ParseIssue[] = [];
  const sessions = new Map<string, ChatSession>();
  const current = new Map<string, ChatSession>();
  const accountOf = new Map<ChatSession, string>();
  for (const { where, m } of messages) {
    if (!isObject(m)) {
      issues.push({ where, message: `skipped: expected a message object, got ${describeValue(m)}` });
      continue;
    }
    const event = isObject(m.event) ? m.event : undefined;
    const kfid = String(m.open_kfid ?? event?.open_kfid ?? '').trim();
    const customer = String(m.external_userid ?? event?.external_userid ?? '').trim();
    const pair = `${kfid}-${customer}`;
    if (m.msgtype === 'event') {
      if (event?.event_type === 'enter_session') current.delete(pair);
      continue;
    }
    const role = ROLE_OF_ORIGIN[Number(m.origin)];
    const content = contentOf(m);
    if (!kfid || !customer || !role) {
      issues.push({
        where,
        message: `skipped: expected open_kfid, external_userid and origin 3 (customer), 4 (system) or 5 (agent), got ${describeValue({ open_kfid: m.open_kfid, external_userid: m.external_userid, origin: m.origin })}`,
      });
      continue;
    }
    if (content === undefined) continue; // image, voice, video, file, mini programs: no text to read
    let session = current.get(pair);
    if (!session) {
      const id = `${pair}-${String(m.send_time ?? sessions.size)}`;
      session = { where: `${ctx.name} conversation ${id}`, id, rows: [] };
      sessions.set(id, session);
      current.set(pair, session);
      accountOf.set(session, kfid);
    }
    const servicer = typeof m.servicer_userid === 'string' ? m.servicer_userid.trim() : '';
    const row: ChatRow = {
      where,
      values: {
        time: m.send_time,
        sender: role,
        content,
        customerId: customer,
        ...(servicer && role === 'agent' ? { agentId: servicer } : {}),
      },
    };
    session.rows.push(row);
  }
  // The account stands in for the agent when no message names the person who answered.
  for (const session of sessions.values()) {
    const first = session.rows[0];
    if (first && !session.rows.some((r) => r.values.agentId)) first.values.agentId = accountOf.get(session);
  }
  if (sessions.size === 0)
    throw wrongShape(ctx, `${ctx.name} $`, EXPECTED, 'no text message (events and media only)');
  return sessionsToConversations([...sessions.values()], ctx, issues);
}

/** The readable text of a message: text, menu, link, location; undefined for media. */
function contentOf(m: JsonObject): string | undefined {
  const body = isObject(m[String(m.msgtype)]) ? (m[String(m.msgtype)] as JsonObject) : {};
  const join = (...parts: unknown[]): string | undefined => {
    const text = parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(' ');
    return text || undefined;
  };
  switch (m.msgtype) {
    case 'text':
      return join(body.content);
    case 'msgmenu': {
      const items = Array.isArray(body.list) ? body.list : [];
      const choices = items.map((item) => {
        const entry = isObject(item) ? Object.values(item).find(isObject) : undefined;
        return entry?.content;
      });
      const listed = choices.filter((c): c is string => typeof c === 'string' && c.trim() !== '').join('、');
      return join(body.head_content, listed, body.tail_content);
    }
    case 'link':
      return join(body.title, body.desc);
    case 'location':
      return join(body.name, body.address);
    default:
      return undefined;
  }
}
