import type { Channel, Conversation, StartedAtSource } from '../../domain/conversation.js';
import { buildUtterances, type BuildOptions, type Fragment } from './utterance-builder.js';
import type { FileFacts, FormatOutput, ParseContext, ParseIssue } from './types.js';

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
 * Completes drafts into native conversations: id, start time, channel, agent and customer from the
 * first place that says (see `layers`), else id `<stem>-<hash>` (with `-<n>` when one file holds
 * several); utterances from the shared builder. A draft that cannot become a valid conversation
 * yields issues instead.
 */
export function finishConversations(
  drafts: Draft[],
  ctx: ParseContext,
  options: FinishOptions,
): FormatOutput {
  const conversations: Conversation[] = [];
  const issues: ParseIssue[] = [];
  drafts.forEach((draft, i) => {
    const suffix = drafts.length > 1 ? `-${i + 1}` : '';
    const facts = layers(draft, ctx, drafts.length === 1);
    const given = facts.find((f) => f.facts.id?.trim());
    const id =
      given?.source === 'source' || suffix === ''
        ? (given?.facts.id?.trim() ?? `${ctx.stem}-${ctx.hash}`)
        : `${given?.facts.id?.trim() ?? `${ctx.stem}-${ctx.hash}`}${suffix}`;
    const { utterances, issues: found } = buildUtterances(draft.fragments, draft.where, {
      ...options,
      mapping: ctx.speakers,
    });
    issues.push(...found);
    const timed = facts.find((f) => f.facts.startedAt);
    const startedAt = timed?.facts.startedAt;
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
    const pick = (field: 'agentId' | 'customerId'): string | undefined =>
      facts.map((f) => f.facts[field]?.trim()).find((v) => v);
    const customerId = pick('customerId');
    const agentId = pick('agentId');
    conversations.push({
      id,
      channel: facts.map((f) => f.facts.channel).find((c) => c) ?? options.channel,
      startedAt,
      ...(timed.source !== 'source' ? { startedAtSource: timed.source } : {}),
      ...(customerId ? { customerId } : {}),
      ...(agentId ? { agentId } : {}),
      utterances,
    });
  });
  return { conversations, issues };
}

interface Layer {
  source: StartedAtSource | 'source';
  facts: FileFacts;
}

/**
 * Where a conversation's facts come from, first match wins: a manifest row is the recording system's
 * statement about the file and wins over a one-conversation file (an ASR TaskId is not the call's id);
 * in a file of several conversations it only fills gaps. Then the file name, the uploader's defaults,
 * and as the last resort the time the upload was received.
 */
function layers(draft: Draft, ctx: ParseContext, single: boolean): Layer[] {
  const file: Layer = { source: 'source', facts: draft };
  const manifest: Layer = { source: 'manifest', facts: ctx.manifest };
  return [
    ...(single ? [manifest, file] : [file, manifest]),
    { source: 'name', facts: ctx.fromName },
    { source: 'query', facts: ctx.defaults },
    { source: 'received', facts: ctx.receivedAt ? { startedAt: ctx.receivedAt } : {} },
  ];
}
