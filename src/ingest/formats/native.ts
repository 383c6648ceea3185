import { z } from 'zod';
import { CHANNELS, SPEAKERS, type Conversation } from '../../domain/conversation.js';
import { MAX_ID_LENGTH } from './conversation-builder.js';
import { isObject, parseJsonFile, wrongShape } from './json-input.js';
import type { FormatOutput, ParseContext, ParseIssue } from './types.js';
import { describeValue, zodIssues } from './zod-issues.js';

const idString = z
  .string()
  .trim()
  .min(1, 'expected a non-empty string')
  .max(MAX_ID_LENGTH, `expected at most ${MAX_ID_LENGTH} characters`);
const millis = z.number().min(0, 'expected milliseconds >= 0');

const utteranceSchema = z
  .object({
    speaker: z.enum(SPEAKERS),
    text: z.string(),
    startMs: millis.optional(),
    endMs: millis.optional(),
  })
  .refine((u) => u.startMs === undefined || u.endMs === undefined || u.endMs >= u.startMs, {
    message: 'expected endMs >= startMs',
    path: ['endMs'],
  });

/** The input contract of ../shared/taxonomy.md. Unknown keys are dropped; null ids count as absent. */
export const conversationSchema = z.object({
  id: idString,
  channel: z.enum(CHANNELS),
  startedAt: z.iso.datetime({
    offset: true,
    error: 'expected an ISO 8601 date-time with offset, e.g. 2026-11-01T10:00:00+08:00',
  }),
  customerId: idString.nullish(),
  agentId: idString.nullish(),
  utterances: z.array(utteranceSchema).min(1, 'expected at least one utterance'),
});

/** Validates one native conversation; `where` prefixes every issue ("$[3]", "calls.ndjson line 12"). */
export function validateNativeConversation(
  value: unknown,
  where: string,
): { conversation?: Conversation; issues: ParseIssue[] } {
  const result = conversationSchema.safeParse(value);
  if (!result.success) return { issues: zodIssues(result.error, value, where) };
  const { customerId, agentId, utterances, ...rest } = result.data;
  const conversation: Conversation = {
    ...rest,
    ...(customerId ? { customerId } : {}),
    ...(agentId ? { agentId } : {}),
    utterances: utterances.map(({ startMs, endMs, ...u }) => ({
      ...u,
      ...(startMs !== undefined ? { startMs } : {}),
      ...(endMs !== undefined ? { endMs } : {}),
    })),
  };
  return { conversation, issues: [] };
}

function collect(items: { value: unknown; where: string }[]): FormatOutput {
  const out: FormatOutput = { conversations: [], issues: [] };
  for (const item of items) {
    const { conversation, issues } = validateNativeConversation(item.value, item.where);
    if (conversation) out.conversations.push(conversation);
    out.issues.push(...issues);
  }
  return out;
}

/** One native conversation object, or an array of them. */
export function parseNativeJson(text: string, ctx: ParseContext): FormatOutput {
  const expected = 'a conversation object or an array of them (see taxonomy.md)';
  const value = parseJsonFile(text, ctx, expected);
  if (Array.isArray(value)) {
    if (value.length === 0) throw wrongShape(ctx, `${ctx.name} $`, expected, 'an empty array');
    return collect(value.map((v, i) => ({ value: v, where: `${ctx.name} $[${i}]` })));
  }
  if (!isObject(value)) throw wrongShape(ctx, `${ctx.name} $`, expected, describeValue(value));
  return collect([{ value, where: `${ctx.name} $` }]);
}

/** One native conversation per line (NDJSON / JSONL); blank lines are skipped. */
export function parseNativeNdjson(text: string, ctx: ParseContext): FormatOutput {
  const items: { value: unknown; where: string }[] = [];
  const issues: ParseIssue[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const where = `${ctx.name} line ${i + 1}`;
    try {
      items.push({ value: JSON.parse(line), where });
    } catch (err) {
      issues.push({
        where,
        message: `not valid JSON (${(err as Error).message}): expected one conversation object per line`,
      });
    }
  });
  const out = collect(items);
  return { conversations: out.conversations, issues: [...issues, ...out.issues].sort(byLine) };
}

function byLine(a: ParseIssue, b: ParseIssue): number {
  const line = (issue: ParseIssue): number => Number(/ line (\d+)/.exec(issue.where)?.[1] ?? 0);
  return line(a) - line(b);
}
