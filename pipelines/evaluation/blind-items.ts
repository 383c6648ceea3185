import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Conversation } from '../../src/domain/conversation.js';
import {
  ASPECTS,
  COMPETITOR_IDS,
  COMPLAINT_CATEGORIES,
  ESCALATIONS,
  LIFE_EVENTS,
  NEEDS,
} from '../../src/domain/labels.js';
import type { Expected } from '../corpus/types.js';

/**
 * Items written blind from taxonomy.md (pipelines/eval/BRIEF.md): sealed evaluation rounds
 * (pipelines/eval/round-N/) and training data (pipelines/blind/). One JSON object per line.
 */
export type Tone = 'negative' | 'neutral' | 'positive';
export type ItemKind = 'conversation' | 'complaint_post' | 'forum_comment';

export interface BlindItem {
  conversation: Conversation;
  expected: Expected & { sentiment: Tone };
  kind: ItemKind;
  /** label (complaint:fees, aspect:cmb/rate, need:deposit, ...) → customer utterance indexes */
  evidence: Record<string, number[]>;
  /** file:line, for error messages */
  where: string;
}

const ids = <T extends string>(list: readonly T[]) => z.enum(list as unknown as [T, ...T[]]);

const expectedSchema = z.object({
  complaint: z.boolean(),
  categories: z.array(ids(COMPLAINT_CATEGORIES)),
  escalation: z.array(ids(ESCALATIONS)),
  competitors: z.array(
    z.object({
      id: ids(COMPETITOR_IDS),
      aspects: z.array(ids(ASPECTS)),
      switchingIntent: z.boolean(),
    }),
  ),
  needs: z.array(ids(NEEDS)),
  declinedNeeds: z.array(ids(NEEDS)),
  lifeEvents: z.array(ids(LIFE_EVENTS)),
  sentiment: z.enum(['negative', 'neutral', 'positive']).default('neutral'),
});

const itemSchema = z.object({
  conversation: z.object({
    id: z.string().min(1),
    channel: z.enum(['call', 'chat']),
    startedAt: z.string().optional(),
    utterances: z
      .array(z.object({ speaker: z.enum(['agent', 'customer', 'system']), text: z.string() }))
      .min(1),
  }),
  expected: expectedSchema,
  kind: z.enum(['complaint_post', 'forum_comment']).optional(),
  evidence: z.record(z.string(), z.array(z.number().int().nonnegative())).default({}),
});

/** Parses one JSONL file; a bad line fails with file:line and the JSON path. */
export function readBlindFile(file: string): BlindItem[] {
  const out: BlindItem[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${file}:${i + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        throw new Error(`${where}: not JSON (${(err as Error).message})`, { cause: err });
      }
      const parsed = itemSchema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${where}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
      }
      const p = parsed.data;
      out.push({
        conversation: { startedAt: '2026-11-01T10:00:00+08:00', ...p.conversation } as Conversation,
        expected: p.expected as BlindItem['expected'],
        kind: p.kind ?? 'conversation',
        evidence: p.evidence,
        where,
      });
    });
  return out;
}

/** Every *.jsonl under the given files or directories (recursively), sorted, matching `pattern`. */
export function listJsonl(paths: readonly string[], pattern = /\.jsonl$/): string[] {
  const files: string[] = [];
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(join(p, name));
    } else if (pattern.test(p)) files.push(p);
  };
  for (const p of paths) walk(p);
  return files;
}

export function readBlindItems(files: readonly string[]): BlindItem[] {
  return files.flatMap(readBlindFile);
}
