import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodejieba from 'nodejieba';
import type { Analysis, AnalysisVersions, Evidence } from '../domain/analysis.js';
import { emptyAnalysis } from '../domain/analysis.js';
import type { Conversation } from '../domain/conversation.js';
import type { ComplaintCategory, Need } from '../domain/labels.js';

/** Options of the worker-side analysis pipeline. */
export interface PipelineOptions {
  /** Directory holding dictionaries/ and taxonomy/ (default <repo>/models). */
  modelsDir?: string;
  /** The bank running the contact center: never a competitor. */
  homeInstitution?: { id: string; names: string[] };
}

export interface Pipeline {
  versions: AnalysisVersions;
  /** normalise -> segment -> analyse. The input is already redacted. */
  process(conversation: Conversation): { tokens: string[][]; analysis: Analysis };
  /** Segment a search query with the same dictionary and normalisation as indexing. */
  segmentQuery(text: string): string[];
  /** Re-read taxonomy/dictionary files. */
  reload(): void;
}

export const DEFAULT_MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../models');

const PUNCT_ONLY = /^[\s\p{P}\p{S}]*$/u;

// Minimal bootstrap rules; replaced by the taxonomy-driven engine.
const COMPLAINT_TERMS: [string, ComplaintCategory][] = [
  ['年费', 'fees'],
  ['手续费', 'fees'],
  ['利息太高', 'interest_rate'],
  ['态度', 'service_attitude'],
  ['打不通', 'wait_time'],
  ['闪退', 'system_failure'],
  ['冻结', 'account_restriction'],
  ['盗刷', 'fraud_dispute'],
  ['催收', 'debt_collection'],
];
const NEED_TERMS: [string, Need][] = [
  ['大额存单', 'deposit'],
  ['房贷', 'mortgage'],
  ['信用卡', 'credit_card_new'],
  ['理财', 'wealth_management'],
];

function segment(text: string): string[] {
  return nodejieba.cut(text).filter((t) => !PUNCT_ONLY.test(t));
}

function analyse(conversation: Conversation): Analysis {
  const analysis = emptyAnalysis(conversation.id);
  const evidence: Evidence[] = [];
  conversation.utterances.forEach((u, i) => {
    if (u.speaker !== 'customer') return;
    for (const [term, category] of COMPLAINT_TERMS) {
      const at = u.text.indexOf(term);
      if (at < 0 || u.text.includes('不是要投诉')) continue;
      analysis.complaint.is = true;
      if (!analysis.complaint.categories.includes(category)) analysis.complaint.categories.push(category);
      evidence.push({ label: `complaint:${category}`, utterance: i, start: at, end: at + term.length });
    }
    for (const [term, need] of NEED_TERMS) {
      const at = u.text.indexOf(term);
      if (at < 0) continue;
      const declined = /不需要|不要|不用/.test(u.text.slice(Math.max(0, at - 4), at));
      const list = declined ? analysis.declinedNeeds : analysis.needs;
      if (!list.includes(need)) list.push(need);
      evidence.push({ label: `${declined ? 'declinedNeed' : 'need'}:${need}`, utterance: i, start: at, end: at + term.length });
    }
  });
  analysis.evidence = evidence;
  analysis.sentiment.customer = analysis.complaint.is ? -0.5 : 0;
  return analysis;
}

export function createPipeline(options: PipelineOptions = {}): Pipeline {
  void options;
  const version = createHash('sha256').update('bootstrap').digest('hex').slice(0, 12);
  return {
    versions: { pipeline: `bootstrap-${version}`, taxonomy: 'bootstrap', dictionary: 'jieba-default', model: 'none' },
    process(conversation) {
      return {
        tokens: conversation.utterances.map((u) => segment(u.text)),
        analysis: analyse(conversation),
      };
    },
    segmentQuery: segment,
    reload() {},
  };
}
