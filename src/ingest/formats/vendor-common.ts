import { z } from 'zod';
import { finishConversations, type Draft } from './conversation-builder.js';
import { millis, secondsToMs } from './text-utils.js';
import type { FormatOutput, ParseContext, ParseIssue } from './types.js';

/** Speaker and channel ids come as numbers (0, 1) or strings ("spk_0"); roles are mapped by their string. */
export const speakerId = z.union([z.string(), z.number()]).transform(String);

/** Milliseconds as a number or a numeric string ("820"). */
export const msField = z
  .union([z.number(), z.string()])
  .transform((v) => millis(v))
  .refine((v) => v !== undefined, 'expected milliseconds >= 0 as a number or numeric string');

/** Seconds as a number (Whisper) or a numeric string (AWS "4.87"). */
export const secondsField = z
  .union([z.number(), z.string()])
  .transform((v) => secondsToMs(v))
  .refine((v) => v !== undefined, 'expected seconds >= 0 as a number or numeric string');

/** ASR results: one call per file, channel "call", the first voice heard is the agent unless mapped. */
export function finishCall(
  draft: Draft,
  issues: ParseIssue[],
  ctx: ParseContext,
  speakerHint: string,
  options: { merge?: boolean } = {},
): FormatOutput {
  const out = finishConversations([draft], ctx, {
    channel: 'call',
    firstSpeakerRule: true,
    speakerHint,
    ...options,
  });
  return { conversations: out.conversations, issues: [...issues, ...out.issues] };
}
