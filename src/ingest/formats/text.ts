import { CHANNELS, type Channel } from '../../domain/conversation.js';
import { finishConversations, type Draft } from './conversation-builder.js';
import { splitSpeakerPrefix } from './speaker-labels.js';
import { clockToMs, joinWords, parseTimestamp } from './text-utils.js';
import type { FormatOutput, ParseContext, ParseIssue } from './types.js';

/*
 * Plain-text transcripts, one utterance per line:
 *
 *   # id: c-20261101-0001                 optional header lines at the top of a conversation:
 *   # startedAt: 2026-11-01 10:00:00      id, startedAt (no offset = +08:00), channel,
 *   # customerId: cust-1001               customerId, agentId
 *   [00:00:01] 坐席：您好，很高兴为您服务   optional time ([00:01:02], 00:01:02, 01:02.5) before the speaker
 *   客户: 我想问一下信用卡年费               坐席/客服/agent, 客户/用户/customer, 系统/机器人, 说话人1, ...
 *   就是那张白金卡                          a line without a speaker continues the previous utterance
 *   ===                                   a line of three or more "=" starts the next conversation;
 *                                         so does a "# id:" header after utterances
 */

const HEADER_KEYS: Record<string, keyof Omit<Draft, 'where' | 'fragments'>> = {
  id: 'id',
  会话id: 'id',
  startedat: 'startedAt',
  开始时间: 'startedAt',
  channel: 'channel',
  渠道: 'channel',
  customerid: 'customerId',
  客户号: 'customerId',
  agentid: 'agentId',
  坐席工号: 'agentId',
};
const HEADER = /^#\s*([^:：]+?)\s*[:：]\s*(.*)$/;
const SEPARATOR = /^={3,}\s*$/;
const TIME = /^\s*[[(（【]?(\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])）】]?\s*/;

export function parseText(text: string, ctx: ParseContext): FormatOutput {
  const drafts: Draft[] = [];
  const issues: ParseIssue[] = [];
  let draft: Draft | undefined;
  const current = (line: number): Draft => {
    if (!draft) {
      draft = { where: `${ctx.name} line ${line}`, fragments: [] };
      drafts.push(draft);
    }
    return draft;
  };

  text.split('\n').forEach((raw, i) => {
    const n = i + 1;
    const where = `${ctx.name} line ${n}`;
    const line = raw.trim();
    if (!line) return;
    if (SEPARATOR.test(line)) {
      draft = undefined;
      return;
    }
    const header = HEADER.exec(line);
    const field = header ? HEADER_KEYS[(header[1] ?? '').toLowerCase().replace(/[\s_-]/g, '')] : undefined;
    if (header && field) {
      if (draft && draft.fragments.length > 0) {
        if (field !== 'id') {
          issues.push({
            where,
            message: `header "${header[1]}" after the first utterance is ignored: expected headers at the top of a conversation`,
          });
          return;
        }
        draft = undefined; // "# id:" after utterances starts the next conversation
      }
      const problem = setHeader(current(n), field, (header[2] ?? '').trim());
      if (problem) issues.push({ where, message: problem });
      return;
    }
    if (line.startsWith('#')) return; // a comment
    const time = TIME.exec(line);
    const afterTime = time ? line.slice(time[0].length) : line;
    const prefix = splitSpeakerPrefix(afterTime, ctx.speakers);
    if (prefix) {
      const startMs = time ? clockToMs(time[1] ?? '') : undefined;
      current(n).fragments.push({
        where,
        text: prefix.rest,
        speaker: prefix.label,
        ...(prefix.role ? { role: prefix.role } : {}),
        ...(startMs !== undefined ? { startMs } : {}),
      });
      return;
    }
    const last = draft?.fragments.at(-1);
    if (last) last.text = joinWords(last.text, line);
    else
      issues.push({
        where,
        message:
          'ignored: expected a line starting with a speaker such as "坐席：" or "客户：" (optionally after a time like [00:01:02])',
      });
  });
  const out = finishConversations(
    drafts.length === 1 && drafts[0] ? [{ ...drafts[0], where: ctx.name }] : drafts,
    ctx,
    {
      channel: 'call',
      firstSpeakerRule: true,
      speakerHint: 'write each line as "坐席：..." or "客户：..."',
    },
  );
  if (drafts.length === 0)
    issues.push({
      where: ctx.name,
      message: 'no utterance found: expected lines such as "坐席：您好" and "客户：你好"',
    });
  return { conversations: out.conversations, issues: [...issues, ...out.issues] };
}

function setHeader(
  draft: Draft,
  field: keyof Omit<Draft, 'where' | 'fragments'>,
  value: string,
): string | undefined {
  if (field === 'startedAt') {
    const time = parseTimestamp(value);
    if (!time)
      return `startedAt "${value}" is not a time: expected e.g. 2026-11-01T10:00:00+08:00 or 2026-11-01 10:00:00`;
    draft.startedAt = time.iso;
  } else if (field === 'channel') {
    if (!(CHANNELS as readonly string[]).includes(value))
      return `channel "${value}": expected one of ${CHANNELS.join('|')}`;
    draft.channel = value as Channel;
  } else if (!value) {
    return `${field} is empty: expected a value`;
  } else {
    draft[field] = value;
  }
  return undefined;
}
