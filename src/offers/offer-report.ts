import type { DecisionRecord, Outcome } from '../domain/offer.js';

/** Wilson score interval of a proportion (95 % by default). */
export function wilson(successes: number, n: number, z = 1.959964): [number, number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Difference of two proportions (treatment − control) with Newcombe's hybrid score interval
 * (method 10), which keeps its coverage with small groups and rates near 0, unlike the Wald interval.
 */
export function liftInterval(
  treatment: { accepted: number; n: number },
  control: { accepted: number; n: number },
  z = 1.959964,
): { lift: number; low: number; high: number } | undefined {
  if (treatment.n === 0 || control.n === 0) return undefined;
  const p1 = treatment.accepted / treatment.n;
  const p2 = control.accepted / control.n;
  const [l1, u1] = wilson(treatment.accepted, treatment.n, z);
  const [l2, u2] = wilson(control.accepted, control.n, z);
  const d = p1 - p2;
  return {
    lift: d,
    low: d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
    high: d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
  };
}

export interface GroupStats {
  key: string;
  /** What the key stands for, for people: the offer's Chinese name (per offer). */
  label?: string;
  decisions: number;
  offersMade: number;
  accepted: number;
  declined: number;
  noAnswer: number;
  /** Made but still inside the no-answer wait. */
  pending: number;
  /** accepted / (offers with an outcome, a timeout counting as no answer) */
  acceptanceRate: number | null;
  /** Offers of the policy (not the control group) with an outcome. */
  policy: { offersMade: number; accepted: number; acceptanceRate: number | null };
  /** Offers of the control group with an outcome. */
  control: { offersMade: number; accepted: number; acceptanceRate: number | null };
  /** Acceptance rate of the policy minus the control group's, with a 95 % interval. */
  lift: { value: number; ci95: [number, number] } | null;
}

export interface OfferReport {
  from: string;
  to: string;
  totals: GroupStats;
  byOffer: GroupStats[];
  byTag: GroupStats[];
  byChannel: GroupStats[];
  byAgent: GroupStats[];
}

interface Made {
  decision: DecisionRecord;
  offerId: string;
  tag: string;
  outcome: Outcome | 'pending';
}

class Accumulator {
  decisions = new Set<string>();
  made = 0;
  accepted = 0;
  declined = 0;
  noAnswer = 0;
  pending = 0;
  cMade = 0;
  cAccepted = 0;
  tMade = 0;
  tAccepted = 0;

  add(m: Made): void {
    this.decisions.add(m.decision.decisionId);
    this.made++;
    if (m.outcome === 'pending') {
      this.pending++;
      return;
    }
    if (m.outcome === 'accepted') this.accepted++;
    else if (m.outcome === 'declined') this.declined++;
    else this.noAnswer++;
    const accepted = m.outcome === 'accepted' ? 1 : 0;
    if (m.decision.control) {
      this.cMade++;
      this.cAccepted += accepted;
    } else {
      this.tMade++;
      this.tAccepted += accepted;
    }
  }

  stats(key: string): GroupStats {
    const decided = this.accepted + this.declined + this.noAnswer;
    const lift = liftInterval(
      { accepted: this.tAccepted, n: this.tMade },
      { accepted: this.cAccepted, n: this.cMade },
    );
    return {
      key,
      decisions: this.decisions.size,
      offersMade: this.made,
      accepted: this.accepted,
      declined: this.declined,
      noAnswer: this.noAnswer,
      pending: this.pending,
      acceptanceRate: decided ? round(this.accepted / decided) : null,
      policy: {
        offersMade: this.tMade,
        accepted: this.tAccepted,
        acceptanceRate: this.tMade ? round(this.tAccepted / this.tMade) : null,
      },
      control: {
        offersMade: this.cMade,
        accepted: this.cAccepted,
        acceptanceRate: this.cMade ? round(this.cAccepted / this.cMade) : null,
      },
      lift: lift ? { value: round(lift.lift), ci95: [round(lift.low), round(lift.high)] } : null,
    };
  }
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/**
 * The closed-loop report over logged decisions: offers made, outcomes, acceptance, and the lift of the
 * policy over the control group, in total and per offer, triggering tag, channel and agent. An offer
 * without an outcome after `noAnswerAfterMs` counts as no answer.
 */
export function offerReport(
  records: DecisionRecord[],
  period: { from: string; to: string },
  now: number,
  noAnswerAfterMs: number,
): OfferReport {
  const totals = new Accumulator();
  const groups = {
    offer: new Map<string, Accumulator>(),
    tag: new Map(),
    channel: new Map(),
    agent: new Map(),
  } as Record<'offer' | 'tag' | 'channel' | 'agent', Map<string, Accumulator>>;
  const into = (map: Map<string, Accumulator>, key: string, m: Made): void => {
    let acc = map.get(key);
    if (!acc) map.set(key, (acc = new Accumulator()));
    acc.add(m);
  };
  for (const decision of records) {
    for (const offer of decision.offers) {
      const recorded = decision.outcomes.find((o) => o.offerId === offer.offerId);
      const outcome: Made['outcome'] =
        recorded?.outcome ?? (Date.parse(decision.at) + noAnswerAfterMs <= now ? 'no_answer' : 'pending');
      const m: Made = { decision, offerId: offer.offerId, tag: offer.triggerTag ?? '(none)', outcome };
      totals.add(m);
      into(groups.offer, offer.offerId, m);
      into(groups.tag, m.tag, m);
      into(groups.channel, decision.channel, m);
      into(groups.agent, decision.agentId ?? '(none)', m);
    }
  }
  const names = new Map<string, string>();
  for (const decision of records) for (const o of decision.offers) names.set(o.offerId, o.name);
  const list = (map: Map<string, Accumulator>, labels?: Map<string, string>): GroupStats[] =>
    [...map]
      .map(([key, acc]) => {
        const stats = acc.stats(key);
        const label = labels?.get(key);
        return label ? { ...stats, label } : stats;
      })
      .sort((a, b) => b.offersMade - a.offersMade || (a.key < b.key ? -1 : 1));
  return {
    from: period.from,
    to: period.to,
    totals: totals.stats('all'),
    byOffer: list(groups.offer, names),
    byTag: list(groups.tag),
    byChannel: list(groups.channel),
    byAgent: list(groups.agent),
  };
}
