import type { Aspect, ComplaintCategory, CompetitorId, Escalation, LifeEvent, Need } from './labels.js';

/** Where a label was found: a character span [start, end) in the ORIGINAL text of one utterance. */
export interface Evidence {
  /** e.g. "complaint:fees", "competitor:cmb", "need:deposit", "declinedNeed:insurance", "lifeEvent:marriage" */
  label: string;
  utterance: number;
  start: number;
  end: number;
}

export interface CompetitorMention {
  id: CompetitorId;
  aspects: Aspect[];
  switchingIntent: boolean;
}

/** One analysis per conversation, the output contract of ../shared/taxonomy.md. */
export interface Analysis {
  id: string;
  complaint: { is: boolean; categories: ComplaintCategory[]; escalation: Escalation[] };
  competitors: CompetitorMention[];
  needs: Need[];
  declinedNeeds: Need[];
  lifeEvents: LifeEvent[];
  /** -1 .. 1, customer side only */
  sentiment: { customer: number };
  evidence: Evidence[];
}

/** Versions of everything that produced an analysis, so history can be re-analysed after a change. */
export interface AnalysisVersions {
  pipeline: string;
  taxonomy: string;
  dictionary: string;
  model: string;
}

export function emptyAnalysis(id: string): Analysis {
  return {
    id,
    complaint: { is: false, categories: [], escalation: [] },
    competitors: [],
    needs: [],
    declinedNeeds: [],
    lifeEvents: [],
    sentiment: { customer: 0 },
    evidence: [],
  };
}
