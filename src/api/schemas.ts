import { z } from 'zod';
import { CHANNELS, SPEAKERS } from '../domain/conversation.js';

/**
 * The native conversation as documented in the OpenAPI document. Request validation itself is
 * done by the ingest format module (validateNativeConversation), which reports per-item issues.
 */
export const conversationSchemaForDocs = z.object({
  id: z.string().min(1).max(200),
  channel: z.enum(CHANNELS),
  startedAt: z.iso.datetime({ offset: true }),
  customerId: z.string().optional(),
  agentId: z.string().optional(),
  utterances: z
    .array(
      z.object({
        speaker: z.enum(SPEAKERS),
        text: z.string(),
        startMs: z.number().int().nonnegative().optional(),
        endMs: z.number().int().nonnegative().optional(),
      }),
    )
    .min(1),
});
