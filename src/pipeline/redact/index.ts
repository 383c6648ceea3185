/**
 * Personal-data redaction: masks resident ID numbers, bank-card numbers and phone numbers in every form
 * customers type and ASR writes them (full-width, Chinese digits, 幺/洞/两/拐/勾, 大写 forms, groups with
 * separators and fillers, X/叉/艾克斯). Decisions and known gaps: ./README.md.
 */
import { SPEAKERS, type Conversation } from '../../domain/conversation.js';
import { planChain } from './plan.js';
import { MIN_PII_DIGITS, type PiiKind } from './readings.js';
import { MAX_GAP_CHARS, forEachChain, hasDigitBetween } from './scan.js';

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
 * The id as stored: unchanged unless it holds a personal number, then masked and pseudonymised.
 * Readers (GET /v1/customers/13812345678) use it too, so the CRM can ask with the id it knows.
 */
export function redactId(
  value: string,
  pseudonymiseId?: (original: string, masked: string) => string,
): { id: string; found: number } {
  if (UUID.test(value)) return { id: value, found: 0 }; // random, and masking a 12-digit group would only break the key
  const r = redactText(value);
  if (r.found.length === 0) return { id: value, found: 0 };
  return { id: pseudonymiseId ? pseudonymiseId(value, r.text) : r.text, found: r.found.length };
}

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
    const r = redactId(value, options.pseudonymiseId);
    found += r.found;
    return r.id;
  };
  const texts = c.utterances.map((u) => text(u.text));
  // Read together: all utterances in order (the agent repeats half a number), and each speaker's own
  // (the customer goes on after the agent's 「好的，您继续」).
  const all = c.utterances.map((_, i) => i);
  const streams = [all, ...SPEAKERS.map((sp) => all.filter((i) => c.utterances[i]!.speaker === sp))];
  for (const indices of streams) {
    const across = redactAcrossUtterances(indices.map((i) => c.utterances[i]!.text));
    if (!across) continue;
    across.texts.forEach((t, j) => (texts[indices[j]!] = union(texts[indices[j]!]!, t)));
    found = Math.max(found, across.found);
  }
  const conversation: Conversation = {
    ...c,
    id: id(c.id),
    utterances: c.utterances.map((u, i) => ({ ...u, text: texts[i]! })),
  };
  if (c.customerId !== undefined) conversation.customerId = id(c.customerId);
  if (c.agentId !== undefined) conversation.agentId = id(c.agentId);
  return { conversation, found };
}

/**
 * A number split over utterances (「卡号6222 0212」 / 「嗯」 / 「3456 7890 128」, or a wrapped chat line)
 * is only visible when they are read together: the utterances are joined with line breaks, which
 * separate digit groups like a space, and redacted as one text. Only done when some utterance ends and
 * the next begins near a digit; undefined otherwise.
 */
function redactAcrossUtterances(originals: string[]): { texts: string[]; found: number } | undefined {
  const near = (t: string, atEnd: boolean): boolean =>
    atEnd
      ? hasDigitBetween(t, Math.max(0, t.length - MAX_GAP_CHARS), t.length)
      : hasDigitBetween(t, 0, MAX_GAP_CHARS);
  let joins = false;
  for (let i = 0; i + 1 < originals.length && !joins; i++) {
    joins =
      near(originals[i]!, true) && (near(originals[i + 1]!, false) || near(originals[i + 2] ?? '', false));
  }
  if (!joins) return undefined;
  const r = redactText(originals.join('\n'));
  const texts: string[] = [];
  let at = 0;
  for (const original of originals) {
    texts.push(r.text.slice(at, at + original.length));
    at += original.length + 1;
  }
  return { texts, found: r.found.length };
}

/** Both redactions of the same text laid over each other: a character masked by either stays masked. */
function union(a: string, b: string): string {
  if (a === b) return a;
  let out = '';
  for (let i = 0; i < a.length; i++) out += b[i] === '*' ? '*' : a[i];
  return out;
}
