import type { Channel, Conversation } from '../../domain/conversation.js';
import { buildUtterances, type BuildOptions, type Fragment } from './utterance-builder.js';
import type { FormatOutput, ParseContext, ParseIssue } from './types.js';

export const MAX_ID_LENGTH = 200;

/** A conversation as a format parser read it, before ids, defaults and speaker mapping. */
export interface Draft {
  /** where the conversation is in the file, for issues about it as a whole */
  where: string;
  id?: string;
  startedAt?: string;
  channel?: Channel;
  customerId?: string;
  agentId?: string;
  fragments: Fragment[];
}

export interface FinishOptions extends Omit<BuildOptions, 'mapping'> {
  /** channel when neither the file nor the caller says: call for ASR results, chat for chat logs */
  channel: Channel;
}

/**
 * Completes drafts into native conversations: id from the file or `<stem>-<hash>` (with `-<n>` when
 * one file holds several), start time from the file or the caller's default, utterances from the
 * shared builder. A draft that cannot become a valid conversation yields issues instead.
 */
export function finishConversations(
  drafts: Draft[],
  ctx: ParseContext,
  options: FinishOptions,
): FormatOutput {
  const conversations: Conversation[] = [];
  const issues: ParseIssue[] = [];
  drafts.forEach((draft, i) => {
    const derived = `${ctx.stem}-${ctx.hash}${drafts.length > 1 ? `-${i + 1}` : ''}`;
    const id = draft.id?.trim() || derived;
    const { utterances, issues: found } = buildUtterances(draft.fragments, draft.where, {
      ...options,
      mapping: ctx.speakers,
    });
    issues.push(...found);
    const startedAt = draft.startedAt ?? ctx.defaults.startedAt;
    const problems: string[] = [];
    if (id.length > MAX_ID_LENGTH)
      problems.push(`the conversation id is ${id.length} characters long; expected at most ${MAX_ID_LENGTH}`);
    if (!startedAt) {
      problems.push(
        'the file carries no start time: pass one (API query startedAt=2026-11-01T10:00:00+08:00, CLI --started-at)',
      );
    }
    if (utterances.length === 0 && found.length === 0)
      problems.push('no utterance with text: expected at least one');
    issues.push(...problems.map((message) => ({ where: draft.where, message })));
    if (problems.length > 0 || utterances.length === 0 || !startedAt) return;
    conversations.push({
      id,
      channel: draft.channel ?? ctx.defaults.channel ?? options.channel,
      startedAt,
      ...(draft.customerId?.trim() ? { customerId: draft.customerId.trim() } : {}),
      ...(draft.agentId?.trim() ? { agentId: draft.agentId.trim() } : {}),
      utterances,
    });
  });
  return { conversations, issues };
}
