import type { Analysis, AnalysisVersions } from './analysis.js';
import type { Conversation } from './conversation.js';

/**
 * What the stores hold: the redacted conversation, its segmentation and its analysis.
 * `tokens[i]` are the jieba tokens of utterance i (of the normalised text), used for full-text search.
 */
export interface ProcessedConversation {
  conversation: Conversation;
  tokens: string[][];
  analysis: Analysis;
  versions: AnalysisVersions;
  processedAt: string;
  /**
   * Sequence of the upload that brought this version (JobQueue.claimLatest). A store never replaces
   * a document with one of a lower sequence: the upload sent last wins, whatever order jobs run in.
   */
  uploadSeq?: number;
}
