/**
 * What one demo conversation is about, drawn before any text is written. The plan is the
 * generator's intent, kept for its own tests (is the mix as configured?); it is not a gold label
 * set: ASR noise and phrasing make the real labels a matter for the evaluation corpus.
 */
import {
  COMPLAINT_CATEGORIES,
  ESCALATIONS,
  LIFE_EVENTS,
  NEEDS,
  type Aspect,
  type CompetitorId,
  type ComplaintCategory,
  type Escalation,
  type LifeEvent,
  type Need,
} from '../../src/domain/labels.js';
import { COMPETITORS } from './phrases/competitors.js';
import { RELATED_NEEDS } from './phrases/life-events.js';
import type { Rng } from './prng.js';

/** Share of conversations (or, for the *Given* fields, of the parent) that get each element. */
export interface DemoMix {
  complaint: number;
  escalationGivenComplaint: number;
  competitor: number;
  switchingGivenCompetitor: number;
  need: number;
  declinedNeed: number;
  lifeEvent: number;
  /** 「我不是要投诉」 in a conversation without a complaint. */
  negation: number;
  /** An agent pitching a product from a script (must create no label). */
  agentScript: number;
  /** An agent naming another bank while explaining something (must create no label). */
  agentNamesBank: number;
  /** A phone, card or ID number spoken by the customer. */
  pii: number;
  /** Customers writing or transcribed in Traditional characters. */
  traditionalCustomers: number;
}

export const DEFAULT_MIX: Readonly<DemoMix> = {
  complaint: 0.25,
  escalationGivenComplaint: 0.2,
  competitor: 0.2,
  switchingGivenCompetitor: 0.3,
  need: 0.3,
  declinedNeed: 0.1,
  lifeEvent: 0.1,
  negation: 0.04,
  agentScript: 0.25,
  agentNamesBank: 0.05,
  pii: 0.03,
  traditionalCustomers: 0.05,
};

export interface PlannedCompetitor {
  id: CompetitorId;
  aspect: Aspect;
  switchingIntent: boolean;
}

export interface ConversationPlan {
  complaint?: { category: ComplaintCategory; escalation?: Escalation };
  competitors: PlannedCompetitor[];
  needs: Need[];
  declinedNeeds: Need[];
  lifeEvents: LifeEvent[];
  serviceRequest: boolean;
  negation: boolean;
  agentScript: boolean;
  agentNamesBank: boolean;
  pii: boolean;
}

const COMPETITOR_WEIGHTS = Object.fromEntries(
  Object.entries(COMPETITORS).map(([id, c]) => [id, c.weight]),
) as Record<CompetitorId, number>;

/** Aspects customers bring up, rate and fee first. */
const ASPECT_WEIGHTS: Readonly<Record<Aspect, number>> = {
  rate: 30,
  fee: 15,
  credit_limit: 12,
  service: 10,
  app_experience: 10,
  promotion: 10,
  approval_speed: 8,
  other: 5,
};

export function drawPlan(rng: Rng, mix: Readonly<DemoMix>): ConversationPlan {
  const plan: ConversationPlan = {
    competitors: [],
    needs: [],
    declinedNeeds: [],
    lifeEvents: [],
    serviceRequest: false,
    negation: false,
    agentScript: false,
    agentNamesBank: false,
    pii: false,
  };
  if (rng.chance(mix.complaint)) {
    plan.complaint = { category: rng.pick(COMPLAINT_CATEGORIES) };
    if (rng.chance(mix.escalationGivenComplaint)) plan.complaint.escalation = rng.pick(ESCALATIONS);
  }
  if (rng.chance(mix.competitor)) {
    const count = rng.chance(0.12) ? 2 : 1;
    while (plan.competitors.length < count) {
      const id = rng.weighted(COMPETITOR_WEIGHTS);
      if (plan.competitors.some((c) => c.id === id)) continue;
      plan.competitors.push({ id, aspect: rng.weighted(ASPECT_WEIGHTS), switchingIntent: false });
    }
    if (rng.chance(mix.switchingGivenCompetitor))
      (plan.competitors[0] as PlannedCompetitor).switchingIntent = true;
  }
  if (rng.chance(mix.lifeEvent)) plan.lifeEvents.push(rng.pick(LIFE_EVENTS));
  if (rng.chance(mix.need)) {
    const event = plan.lifeEvents[0];
    plan.needs.push(event && rng.chance(0.7) ? rng.pick(RELATED_NEEDS[event]) : rng.pick(NEEDS));
  }
  if (rng.chance(mix.declinedNeed)) {
    plan.declinedNeeds.push(rng.pick(NEEDS.filter((n) => !plan.needs.includes(n))));
  }
  // Negation only where there is no complaint, scaled so that its overall share is mix.negation.
  const noComplaint = 1 - mix.complaint;
  plan.negation = !plan.complaint && noComplaint > 0 && rng.chance(mix.negation / noComplaint);
  plan.agentScript = rng.chance(mix.agentScript);
  plan.agentNamesBank = rng.chance(mix.agentNamesBank);
  plan.pii = rng.chance(mix.pii);
  const hasTopic =
    plan.complaint || plan.competitors.length > 0 || plan.needs.length > 0 || plan.lifeEvents.length > 0;
  plan.serviceRequest = !hasTopic || plan.negation || rng.chance(0.35);
  return plan;
}
