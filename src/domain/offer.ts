/**
 * Offers and decisions: what the bank may propose to a customer, and the record of each proposal.
 * Offer ids are a public contract (the CRM reports outcomes by them): stable, never reused.
 */

export const OFFER_KINDS = ['sale', 'retention', 'service_recovery'] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

/** Where a decision is made: inbound call/chat, the app, or outbound (sms, outbound_call). */
export const DECISION_CHANNELS = ['call', 'chat', 'app', 'sms', 'outbound_call'] as const;
export type DecisionChannel = (typeof DECISION_CHANNELS)[number];

export const OUTCOMES = ['accepted', 'declined', 'no_answer'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The stages a candidate offer passes, in this order. */
export const DECISION_STAGES = [
  'eligibility',
  'applicability',
  'suitability',
  'contact_policy',
  'arbitration',
] as const;
export type DecisionStage = (typeof DECISION_STAGES)[number];

export interface OfferScore {
  /** Sampled from the offer's Beta posterior for the segment (Thompson sampling). */
  propensity: number;
  /** Product of the context weights that matched (1 when none). */
  context: number;
  value: number;
  levers: number;
  /** propensity × context × value × levers */
  priority: number;
}

export interface DecidedOffer {
  offerId: string;
  kind: OfferKind;
  product: string;
  name: string;
  score: OfferScore;
  /** Chinese, quoting the customer where the profile allows it. */
  reason: string;
  /** The tag that made the offer relevant (its evidence is quoted), if any. */
  triggerTag?: string;
  /** Probability the arbitration had of putting this offer first (for off-policy evaluation). */
  probability: number;
}

export interface StageVerdict {
  stage: DecisionStage;
  pass: boolean;
  why: string;
}

/** What the offline evaluation needs of each candidate that reached arbitration. */
export interface Candidate {
  offerId: string;
  /** Probability of being put first by the policy that ran. */
  probability: number;
  /** Posterior mean of the offer's acceptance for the segment at decision time. */
  propensityMean: number;
  context: number;
  value: number;
  levers: number;
}

export interface OutcomeRecord {
  offerId: string;
  outcome: Outcome;
  at: string;
  /** `timeout`: no answer within the configured wait. */
  source: 'api' | 'timeout';
}

export interface DecisionRecord {
  decisionId: string;
  customerId: string;
  channel: DecisionChannel;
  agentId?: string;
  at: string;
  segment: string;
  /** In the sticky control group: random arbitration among the offers that passed. */
  control: boolean;
  /** The catalog version the decision ran on. */
  catalogVersion: string;
  offers: DecidedOffer[];
  suppressed: { offerId: string; stage: DecisionStage; why: string }[];
  /** Every stage's verdict for every offer (GET /v1/decisions/:id/explain). */
  stages: Record<string, StageVerdict[]>;
  candidates: Candidate[];
  /** Active tag keys the decision saw (profile and live conversation). */
  tags: string[];
  complaintOpen: boolean;
  outcomes: OutcomeRecord[];
}
