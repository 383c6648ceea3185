import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Conversation } from '../../src/domain/conversation.js';
import type { ExpectedLabels } from '../../src/ml/classifier-labels.js';

/** One line of pipelines/corpus/*.jsonl: a native conversation and what a careful analyst marks. */
export interface CorpusRecord {
  conversation: Conversation;
  expected: ExpectedLabels;
}

const utterance = z.object({
  speaker: z.enum(['agent', 'customer', 'system']),
  text: z.string(),
});
const record = z.object({
  conversation: z.object({ id: z.string(), utterances: z.array(utterance) }).passthrough(),
  expected: z
    .object({
      complaint: z.boolean(),
      categories: z.array(z.string()).optional(),
      needs: z.array(z.string()).optional(),
      declinedNeeds: z.array(z.string()).optional(),
      lifeEvents: z.array(z.string()).optional(),
    })
    .passthrough(),
});

/** Reads a JSONL corpus; an invalid line fails with its file, line number and JSON path. */
export async function readCorpus(file: string): Promise<CorpusRecord[]> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const out: CorpusRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new Error(`${file}:${i + 1}: not JSON (${(err as Error).message})`, { cause: err });
    }
    const parsed = record.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${file}:${i + 1}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`);
    }
    out.push(value as CorpusRecord);
  });
  return out;
}

export function customerTexts(conversation: Conversation): string[] {
  return conversation.utterances.filter((u) => u.speaker === 'customer').map((u) => u.text);
}
