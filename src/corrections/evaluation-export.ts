import type { Analysis } from '../domain/analysis.js';
import type { Conversation } from '../domain/conversation.js';
import type { Correction } from '../domain/correction.js';
import type {
  Aspect,
  ComplaintCategory,
  CompetitorId,
  Escalation,
  LifeEvent,
  Need,
} from '../domain/labels.js';
import type { ProcessedConversation } from '../domain/processed-conversation.js';
import { applyCorrections } from './apply-corrections.js';

/** What an analyst says a conversation holds: the `expected` of the evaluation files (pipelines/evaluate.ts). */
export interface EvaluationExpected {
  complaint: boolean;
  categories: ComplaintCategory[];
  escalation: Escalation[];
  competitors: { id: CompetitorId; aspects: Aspect[]; switchingIntent: boolean }[];
  needs: Need[];
  declinedNeeds: Need[];
  lifeEvents: LifeEvent[];
}

/** One line of `voc corrections export`: the stored (redacted) conversation and its corrected labels. */
export interface EvaluationItem {
  conversation: Conversation;
  expected: EvaluationExpected;
}

export function toExpected(analysis: Analysis): EvaluationExpected {
  return {
    complaint: analysis.complaint.is,
    categories: [...analysis.complaint.categories],
    escalation: [...analysis.complaint.escalation],
    competitors: analysis.competitors.map((c) => ({
      id: c.id,
      aspects: [...c.aspects],
      switchingIntent: c.switchingIntent,
    })),
    needs: [...analysis.needs],
    declinedNeeds: [...analysis.declinedNeeds],
    lifeEvents: [...analysis.lifeEvents],
  };
}

/** The evaluation item of a stored conversation: its analysis after its corrections (re-applied: idempotent). */
export function evaluationItem(
  doc: ProcessedConversation,
  corrections: readonly Correction[],
): EvaluationItem {
  return {
    conversation: doc.conversation,
    expected: toExpected(applyCorrections(doc.analysis, corrections)),
  };
}
