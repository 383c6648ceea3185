/**
 * Emerging competitors: institution-like names customers say that the taxonomy does not know.
 *
 * The rule (conservative on purpose: a name is reported only when it looks like an institution):
 *  1. a span the analysis marked `competitor:other_bank` in a customer sentence (the engine's
 *     "<name>银行 / 农商行 / 村镇银行 / 消费金融" rule, src/pipeline/analyse/detectors/other-bank.ts), or
 *  2. a jieba token of a customer sentence ending in 信用社, 农信社, 小贷, 小额贷款, 消费金融 or 借条
 *     with at least two characters before the suffix, or that suffix alone right after a 2–4
 *     character word (the word and the suffix together are the name);
 *  and the name is none of the taxonomy's names, weak names or generic words (any competitor,
 *  other_bank's list included), nor the home institution's names or a self-reference, and the word
 *  before the suffix is not one of competitors.yaml otherBank.notNames (你们, 手机, 哪家...).
 * A name's count is the number of conversations of the period in which the customer says it, which
 * is what the search `speaker:customer "<name>"` finds.
 */
import type { ProcessedConversation } from '../domain/processed-conversation.js';
import { redactText } from '../pipeline/redact/index.js';
import type { TextQuery } from '../storage/text-query.js';
import type { ReportVocabulary } from './vocabulary.js';

export const LENDER_SUFFIXES = ['小额贷款', '消费金融', '信用社', '农信社', '小贷', '借条'] as const;
/** What the scan looks for first (every suffix of either rule), customer sentences only. */
export const EMERGING_SCAN_WORDS = ['银行', '农商行', '城商行', ...LENDER_SUFFIXES] as const;

export interface EmergingExample {
  conversationId: string;
  utterance: number;
  text: string;
}

export interface EmergingCompetitor {
  name: string;
  mentions: number;
  examples: EmergingExample[];
}

const NAME_WORD = /^[\u4e00-\u9fff0-9A-Za-z]{2,4}$/u;
const MAX_EXAMPLES = 3;

/** The scan's text query: any of the suffix words in a customer sentence. */
export function emergingScanQuery(): TextQuery {
  return {
    kind: 'or',
    children: EMERGING_SCAN_WORDS.map((w) => ({
      kind: 'phrase' as const,
      tokens: [w],
      scope: 'customer' as const,
    })),
  };
}

function isUnknown(name: string, suffix: string, vocabulary: ReportVocabulary): boolean {
  const lower = name.toLowerCase();
  if (vocabulary.knownNames.has(lower)) return false;
  const head = name.slice(0, name.length - suffix.length);
  if (head.length < 2 || vocabulary.notNames.has(head) || vocabulary.knownNames.has(head.toLowerCase()))
    return false;
  return true;
}

/** Names one customer sentence holds under the rule above. */
export function namesInUtterance(
  doc: ProcessedConversation,
  index: number,
  vocabulary: ReportVocabulary,
): string[] {
  const u = doc.conversation.utterances[index];
  if (u === undefined || u.speaker !== 'customer') return [];
  const names = new Set<string>();
  for (const e of doc.analysis.evidence) {
    if (e.label !== 'competitor:other_bank' || e.utterance !== index) continue;
    const name = u.text.slice(e.start, e.end).trim();
    const suffix = ['农商银行', '村镇银行', '消费金融', '农商行', '城商行', '银行'].find((s) =>
      name.endsWith(s),
    );
    if (suffix !== undefined && isUnknown(name, suffix, vocabulary)) names.add(name);
  }
  const tokens = doc.tokens[index] ?? [];
  tokens.forEach((token, t) => {
    const suffix = LENDER_SUFFIXES.find((s) => token.endsWith(s));
    if (suffix === undefined) return;
    let name = token;
    if (token === suffix) {
      const before = tokens[t - 1] ?? '';
      if (!NAME_WORD.test(before)) return;
      name = before + token;
    }
    if (isUnknown(name, suffix, vocabulary) && u.text.includes(name)) names.add(name);
  });
  return [...names];
}

/** Unknown institution names of these conversations, by conversations naming them (desc), then name. */
export function findEmerging(
  docs: readonly ProcessedConversation[],
  vocabulary: ReportVocabulary,
): EmergingCompetitor[] {
  const names = new Set<string>();
  for (const doc of docs) {
    doc.conversation.utterances.forEach((_, i) => {
      for (const n of namesInUtterance(doc, i, vocabulary)) names.add(n);
    });
  }
  const out: EmergingCompetitor[] = [];
  for (const name of names) {
    let mentions = 0;
    const examples: EmergingExample[] = [];
    for (const doc of docs) {
      const i = doc.conversation.utterances.findIndex(
        (u) => u.speaker === 'customer' && u.text.includes(name),
      );
      if (i < 0) continue;
      mentions++;
      const text = doc.conversation.utterances[i]?.text ?? '';
      if (examples.length < MAX_EXAMPLES)
        examples.push({
          conversationId: doc.conversation.id,
          utterance: i,
          text: redactText(text.trim()).text,
        });
    }
    out.push({ name, mentions, examples });
  }
  return out.sort((a, b) => b.mentions - a.mentions || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
