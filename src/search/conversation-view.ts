import type { Analysis, AnalysisVersions } from '../domain/analysis.js';
import type { Conversation, Utterance } from '../domain/conversation.js';
import type { ProcessedConversation } from '../domain/processed-conversation.js';

/** An utterance with the labels found in it and their [start, end) spans in its text. */
export type UtteranceView = Utterance & { labels: { label: string; start: number; end: number }[] };

/** What GET /v1/conversations/:id answers: the stored (redacted) conversation with its analysis. */
export type ConversationView = Omit<Conversation, 'utterances'> & {
  utterances: UtteranceView[];
  analysis: Analysis;
  versions: AnalysisVersions;
  processedAt: string;
};

/**
 * Puts each evidence span beside the utterance it marks, so a client draws labels without
 * re-indexing the evidence list; the evidence list itself stays in `analysis`.
 */
export function conversationView(doc: ProcessedConversation): ConversationView {
  return {
    ...doc.conversation,
    utterances: doc.conversation.utterances.map((u, i) => ({
      ...u,
      labels: doc.analysis.evidence
        .filter((e) => e.utterance === i)
        .map(({ label, start, end }) => ({ label, start, end })),
    })),
    analysis: doc.analysis,
    versions: doc.versions,
    processedAt: doc.processedAt,
  };
}
