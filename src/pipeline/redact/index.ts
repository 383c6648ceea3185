/**
 * Personal-data redaction: masks resident ID numbers, bank-card numbers and phone numbers in every form
 * customers type and ASR writes them (full-width, Chinese digits, 幺/洞/两/拐/勾, 大写 forms, groups with
 * separators and fillers, X/叉/艾克斯). Decisions and known gaps: ./README.md.
 */
import type { Conversation } from '../../domain/conversation.js';
import { planChain } from './plan.js';
import { MIN_PII_DIGITS, type PiiKind } from './readings.js';
import { forEachChain } from './scan.js';

export type { PiiKind } from './readings.js';

export interface RedactionResult {
  /** The text with every digit of each found number but its last four replaced by `*` (same length). */
  text: string;
  /** One entry per masked number, in text order (so `found.length` counts them). */
  found: PiiKind[];
}

/** Masks ID, card and phone numbers in `text`; the result has the same length as the input. */
export function redactText(text: string): RedactionResult {
  const found: PiiKind[] = [];
  const ranges: number[] = []; // start, length pairs in text order
  forEachChain(text, MIN_PII_DIGITS, (chain) => {
    const plan = planChain(chain);
    found.push(...plan.kinds);
    plan.masked.forEach((m, t) => {
      if (m) ranges.push(chain.starts[t]!, chain.lengths[t]!);
    });
    return false;
  });
  if (ranges.length === 0) return { text, found };
  let out = '';
  let at = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    const start = ranges[r]!;
    const length = ranges[r + 1]!;
    out += text.slice(at, start) + '*'.repeat(length);
    at = start + length;
  }
  return { text: out + text.slice(at), found };
}

/** True when `text` holds a number that redactText would mask. */
export function containsPii(text: string): boolean {
  let hit = false;
  forEachChain(text, MIN_PII_DIGITS, (chain) => {
    hit = planChain(chain).kinds.length > 0;
    return hit;
  });
  return hit;
}

export interface RedactConversationOptions {
  /**
   * Replaces an id field (conversation, customer, agent) that holds personal data. Masking alone makes
   * ids that differ only in masked digits collide (two customers whose phone numbers share the last four
   * digits would merge); a keyed hash here (HMAC with a secret from configuration) keeps them apart.
   * Default: the masked id.
   */
  pseudonymiseId?: (original: string, masked: string) => string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Redacts every utterance and the id, customerId and agentId fields (a customer id that is a phone number
 * must not survive). Returns a new conversation and the number of masked numbers; the input is untouched.
 */
export function redactConversation(
  c: Conversation,
  options: RedactConversationOptions = {},
): { conversation: Conversation; found: number } {
  let found = 0;
  const text = (value: string): string => {
    const r = redactText(value);
    found += r.found.length;
    return r.text;
  };
  const id = (value: string): string => {
    if (UUID.test(value)) return value; // random, and masking a 12-digit group would only break the key
    const r = redactText(value);
    if (r.found.length === 0) return value;
    found += r.found.length;
    return options.pseudonymiseId ? options.pseudonymiseId(value, r.text) : r.text;
  };
  const conversation: Conversation = {
    ...c,
    id: id(c.id),
    utterances: c.utterances.map((u) => ({ ...u, text: text(u.text) })),
  };
  if (c.customerId !== undefined) conversation.customerId = id(c.customerId);
  if (c.agentId !== undefined) conversation.agentId = id(c.agentId);
  return { conversation, found };
}
