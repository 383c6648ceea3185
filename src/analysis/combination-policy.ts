import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { InputScheme } from './model-inputs.js';

/**
 * How the utterance model's scores combine with the rules, per label group. Chosen on the blind dev
 * split by pipelines/tune-combination.ts and shipped beside the model as `combination.json`, so a
 * model and the thresholds measured for it travel together.
 *
 * - `add`: a label the rules missed is added when the model scores one customer utterance at least
 *   this high (above 1: never).
 * - `veto`: a label the rules found is dropped when the model scores every customer utterance below
 *   this (0: never).
 * - `categoryFallback`: a complaint without a specific category takes the model's best one above this.
 * - `toneWeight`: customer sentiment = (1 - w) · rules + w · (P(positive) - P(negative)) of the
 *   whole customer side.
 */
export const LABEL_GROUPS = [
  'complaint',
  'complaintCategory',
  'escalation',
  'need',
  'declinedNeed',
  'lifeEvent',
  'aspect',
  'switching',
] as const;
export type LabelGroup = (typeof LABEL_GROUPS)[number];

/** The same value for every label group. */
export function everyGroup<T>(value: T): Record<LabelGroup, T> {
  return Object.fromEntries(LABEL_GROUPS.map((g) => [g, value])) as Record<LabelGroup, T>;
}

const thresholds = z.object(
  Object.fromEntries(LABEL_GROUPS.map((g) => [g, z.number().min(0).max(2)])) as Record<
    LabelGroup,
    z.ZodNumber
  >,
);

export const combinationPolicySchema = z.object({
  /** what the model was trained to see of an utterance (model-inputs.ts) */
  inputs: z.enum(['utterance', 'utterance+agent']).default('utterance'),
  add: thresholds,
  veto: thresholds,
  /**
   * A label the model adds must also score at least this on the whole customer side (conversations
   * of two or more customer utterances); 0: no gate.
   */
  gate: thresholds.optional(),
  toneWeight: z.number().min(0).max(1),
  /**
   * A complaint that stands without a specific category takes the model's best category when it
   * scores at least this (above 1: never), instead of `other`.
   */
  categoryFallback: z.number().min(0).max(2).default(2),
  /**
   * A complaint whose customer moves money or business to a competitor (switching intent) carries
   * the account_closure escalation (taxonomy.md: 把钱转走、不用你们了).
   */
  switchingEscalates: z.boolean().default(false),
  /**
   * A need the rules heard becomes a declined need when the model scores the refusal of that product
   * at least this on a customer utterance at or after the one that carries the need (the customer
   * asked, then said 「那算了」: taxonomy.md counts the refusal); above 1: never.
   */
  declineFlip: z.number().min(0).max(2).default(2),
  /** where the numbers came from (file hashes, scores): documentation, not used */
  tunedOn: z.unknown().optional(),
});

export interface CombinationPolicy {
  inputs: InputScheme;
  add: Record<LabelGroup, number>;
  veto: Record<LabelGroup, number>;
  gate: Record<LabelGroup, number>;
  toneWeight: number;
  categoryFallback: number;
  switchingEscalates: boolean;
  declineFlip: number;
  /** content hash, part of the recorded model version */
  version: string;
}

/** For a model without its own combination.json: add only what the model is very sure of. */
export const CONSERVATIVE_POLICY: CombinationPolicy = {
  inputs: 'utterance',
  add: everyGroup(0.95),
  veto: everyGroup(0),
  gate: everyGroup(0),
  toneWeight: 0,
  categoryFallback: 2,
  switchingEscalates: false,
  declineFlip: 2,
  version: 'conservative',
};

export const COMBINATION_FILE = 'combination.json';

export function policyFromJson(text: string, where: string): CombinationPolicy {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where}: not JSON (${(err as Error).message})`, { cause: err });
  }
  const parsed = combinationPolicySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${where}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'} (expected add/veto thresholds per label group and toneWeight)`,
    );
  }
  const { inputs, add, veto, toneWeight, categoryFallback, switchingEscalates, declineFlip } = parsed.data;
  const gate = parsed.data.gate ?? everyGroup(0);
  const version = createHash('sha256')
    .update(
      JSON.stringify({
        inputs,
        add,
        veto,
        gate,
        toneWeight,
        categoryFallback,
        switchingEscalates,
        // absent while off, so the version of a policy written before this field stays the same
        ...(declineFlip <= 1 ? { declineFlip } : {}),
      }),
    )
    .digest('hex')
    .slice(0, 8);
  return { inputs, add, veto, gate, toneWeight, categoryFallback, switchingEscalates, declineFlip, version };
}

/** The model directory's combination.json, or the conservative policy when it has none. */
export async function loadCombinationPolicy(modelDir: string): Promise<CombinationPolicy> {
  const file = path.join(modelDir, COMBINATION_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return CONSERVATIVE_POLICY;
    throw err;
  }
  return policyFromJson(text, file);
}
