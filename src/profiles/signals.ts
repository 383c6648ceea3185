import type { Evidence } from '../domain/analysis.js';
import type { AnalysisVersions } from '../domain/analysis.js';
import type { Channel, Conversation, Speaker } from '../domain/conversation.js';
import type { ProcessedConversation } from '../domain/processed-conversation.js';
import { normalise } from '../pipeline/normalise/normalise.js';
import type { ProfileConfig } from './profile-config.js';

/** Where one conversation shows a tag: the utterance and its (redacted) words. */
export interface SignalEvidence {
  utterance: number;
  speaker: Speaker;
  quote: string;
}

/**
 * What one stored conversation says about its customer: the tag keys it shows, each with evidence.
 * A customer's tags are a pure function of these (one per conversation), their consent and the time,
 * so re-uploading or re-analysing a conversation replaces its signals and the tags follow.
 */
export interface ConversationSignals {
  conversationId: string;
  customerId: string;
  /** The conversation's own time (startedAt), ISO 8601. */
  at: string;
  channel: Channel;
  versions: AnalysisVersions;
  keys: Record<string, SignalEvidence[]>;
  /** The conversation carries a complaint (keeps complaint.open open). */
  complaint: boolean;
  /** No complaint, and the customer says the problem is solved: closes an earlier complaint.open. */
  resolved: boolean;
}

const QUOTE_MAX = 120;

/** The words around a span, cut to a readable length with an ellipsis where cut. */
export function quoteOf(text: string, start = 0, end = text.length): string {
  if (text.length <= QUOTE_MAX) return text;
  const room = Math.max(0, QUOTE_MAX - (end - start));
  const from = Math.max(0, Math.min(start - Math.floor(room / 2), text.length - QUOTE_MAX));
  const to = Math.min(text.length, from + QUOTE_MAX);
  return `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
}

/** Tag keys an analysis label stands for (`need:mortgage` → need.mortgage). */
function keysOfLabel(label: string, doc: ProcessedConversation): string[] {
  const [kind, id] = label.split(':') as [string, string | undefined];
  if (!id) return [];
  switch (kind) {
    case 'need':
      return doc.analysis.needs.includes(id as never) ? [`need.${id}`] : [];
    case 'declinedNeed':
      return doc.analysis.declinedNeeds.includes(id as never) ? [`need_declined.${id}`] : [];
    case 'lifeEvent':
      return doc.analysis.lifeEvents.includes(id as never) ? [`life.${id}`] : [];
    case 'complaint':
      return doc.analysis.complaint.is && doc.analysis.complaint.categories.includes(id as never)
        ? [`complaint.${id}`, 'complaint.open']
        : [];
    case 'escalation':
      return doc.analysis.complaint.escalation.includes(id as never) ? [`escalation.${id}`] : [];
    case 'competitor': {
      const mention = doc.analysis.competitors.find((c) => c.id === id);
      if (!mention) return [];
      return [
        `competitor.${id}`,
        ...mention.aspects.map((aspect) => `competitor.${id}.${aspect}`),
        ...(mention.switchingIntent ? [`switching.${id}`] : []),
      ];
    }
    default:
      return [];
  }
}

/** Every key the analysis holds, whether or not an evidence span came with it (a correction, say). */
function keysOfAnalysis(doc: ProcessedConversation): string[] {
  const a = doc.analysis;
  return [
    ...a.needs.map((n) => `need.${n}`),
    ...a.declinedNeeds.map((n) => `need_declined.${n}`),
    ...a.lifeEvents.map((e) => `life.${e}`),
    ...(a.complaint.is ? [...a.complaint.categories.map((c) => `complaint.${c}`), 'complaint.open'] : []),
    ...a.complaint.escalation.map((e) => `escalation.${e}`),
    ...a.competitors.flatMap((c) => [
      `competitor.${c.id}`,
      ...c.aspects.map((aspect) => `competitor.${c.id}.${aspect}`),
      ...(c.switchingIntent ? [`switching.${c.id}`] : []),
    ]),
  ];
}

function evidenceAt(
  conversation: Conversation,
  e: Pick<Evidence, 'utterance' | 'start' | 'end'>,
): SignalEvidence {
  const u = conversation.utterances[e.utterance];
  return {
    utterance: e.utterance,
    speaker: u?.speaker ?? 'customer',
    quote: quoteOf(u?.text ?? '', e.start, e.end),
  };
}

/** Customer utterances matching one of the patterns (normalised text, fillers removed). */
function customerSays(conversation: Conversation, test: (text: string) => boolean): SignalEvidence[] {
  const found: SignalEvidence[] = [];
  conversation.utterances.forEach((u, utterance) => {
    if (u.speaker === 'customer' && test(normalise(u.text).text))
      found.push({ utterance, speaker: u.speaker, quote: quoteOf(u.text) });
  });
  return found;
}

/** What a stored conversation says about its customer; undefined without a customer id. */
export function extractSignals(
  doc: ProcessedConversation,
  config: ProfileConfig,
): ConversationSignals | undefined {
  const { conversation, analysis } = doc;
  if (!conversation.customerId) return undefined;
  const keys: Record<string, SignalEvidence[]> = {};
  const add = (key: string, evidence: SignalEvidence): void => {
    const list = (keys[key] ??= []);
    if (!list.some((e) => e.utterance === evidence.utterance)) list.push(evidence);
  };
  for (const e of analysis.evidence)
    for (const key of keysOfLabel(e.label, doc)) add(key, evidenceAt(conversation, e));
  // A label without a span (an analyst's correction) still counts; its evidence is the customer's first words.
  const firstCustomer = conversation.utterances.findIndex((u) => u.speaker === 'customer');
  const fallback = evidenceAt(conversation, { utterance: Math.max(0, firstCustomer), start: 0, end: 0 });
  for (const key of keysOfAnalysis(doc)) if (!keys[key]) add(key, fallback);

  const refusals = customerSays(conversation, (text) => config.doNotMarketPatterns.some((p) => p.test(text)));
  for (const r of refusals) add('consent.do_not_market', r);

  const complaint = analysis.complaint.is;
  const resolved =
    !complaint &&
    customerSays(conversation, (text) => config.resolutionCues.some((cue) => text.includes(cue))).length > 0;
  return {
    conversationId: conversation.id,
    customerId: conversation.customerId,
    at: new Date(conversation.startedAt).toISOString(),
    channel: conversation.channel,
    versions: doc.versions,
    keys,
    complaint,
    resolved,
  };
}
