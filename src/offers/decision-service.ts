import { randomInt, randomUUID } from 'node:crypto';
import type { AnalysisService } from '../analysis/analysis-service.js';
import type {
  Candidate,
  DecidedOffer,
  DecisionChannel,
  DecisionRecord,
  DecisionStage,
  Outcome,
  OutcomeRecord,
  StageVerdict,
} from '../domain/offer.js';
import type { Tag } from '../domain/tag.js';
import { AppError, NotFoundError, ValidationError } from '../errors.js';
import { validateNativeConversation } from '../ingest/formats/index.js';
import { redactConversation, redactId } from '../pipeline/redact/index.js';
import { computeTags } from '../profiles/compute-tags.js';
import type { ProfileConfig } from '../profiles/profile-config.js';
import type { ProfileService } from '../profiles/profile-service.js';
import { extractSignals } from '../profiles/signals.js';
import { seededRandom } from '../shared/seeded-random.js';
import { armKey, type OfferStore, type ResponseEntry } from '../storage/offer-store.js';
import { OfferCatalogError, type CatalogHolder, type OfferDefinition } from './catalog.js';
import {
  firstChoiceProbabilities,
  inControlGroup,
  posterior,
  randomOrder,
  reachOf,
  sampleBeta,
  thompsonDraw,
  type Arm,
} from './propensity.js';
import { offerReport, type OfferReport } from './offer-report.js';
import { reasonFor } from './reasons.js';
import { runStages, triggerOf, type OfferStages, type StageContext } from './stages.js';

export interface DecisionRequest {
  customerId: string;
  channel: DecisionChannel;
  /** ISO 8601; default: now. */
  at?: string;
  /** A live conversation in the native format: analysed, never stored. */
  conversation?: unknown;
  agentId?: string;
  /** Products the customer holds (from the CRM): offers excluding them do not apply. */
  holdings?: string[];
  /** How many offers to return (default: the policy's maxOffers). */
  limit?: number;
}

export interface DecisionResult {
  decisionId: string;
  at: string;
  control: boolean;
  segment: string;
  offers: Omit<DecidedOffer, 'probability'>[];
  suppressed: DecisionRecord['suppressed'];
}

export interface DecisionServiceDeps {
  catalog: CatalogHolder;
  store: OfferStore;
  /** Only the tags and consent: a decision never reads the customer's conversation signals. */
  profiles: Pick<ProfileService, 'tagsAndConsent'>;
  profileConfig: ProfileConfig;
  analysis: () => Promise<AnalysisService>;
  pseudonymiseId: (original: string, masked: string) => string;
  now?: () => number;
  /** A seed per decision; tests fix it to make sampling reproducible. */
  seed?: () => number;
}

type TagMap = StageContext['tags'];

/** The customer segment an arm learns in: what the customer's tags say about their situation. */
export function segmentOf(keys: Iterable<string>): string {
  const list = [...keys];
  if (list.some((k) => k.startsWith('switching.') || k === 'escalation.account_closure')) return 'at_risk';
  if (list.some((k) => k.startsWith('competitor.'))) return 'comparing';
  if (list.some((k) => k.startsWith('life.'))) return 'life_event';
  return 'general';
}

/**
 * Next-best-offer decisions: eligibility → applicability → suitability → contact policy →
 * arbitration by priority = propensity × context × value × levers, service first, with the
 * contact caps reserved atomically in the store and every decision logged for learning and
 * off-policy evaluation.
 */
export class DecisionService {
  private readonly now: () => number;
  private readonly seed: () => number;

  constructor(private readonly deps: DecisionServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.seed = deps.seed ?? (() => randomInt(2 ** 31));
  }

  /** Runs one decision and logs it. */
  async decide(req: DecisionRequest): Promise<DecisionResult> {
    const now = req.at ? Date.parse(req.at) : this.now();
    const at = new Date(now).toISOString();
    const customerId = redactId(req.customerId, this.deps.pseudonymiseId).id;
    const catalog = this.deps.catalog.catalog;
    const { policy: policyConfig, learning } = catalog;
    const [profile, live, history, arms] = await Promise.all([
      this.deps.profiles.tagsAndConsent(customerId),
      this.analyseLive(req.conversation, customerId, now),
      this.deps.store.history(customerId),
      this.deps.store.armCounts(),
    ]);
    const responses = [...history.responses, ...(await this.settleUnanswered(history, now))];

    const tags: TagMap = new Map();
    for (const tag of profile.tags)
      if (tag.status === 'active' && Date.parse(tag.validUntil) > now)
        tags.set(tag.key, { tag, live: false });
    for (const tag of live?.tags ?? []) tags.set(tag.key, { tag, live: true });
    if (live?.resolved && !live.tags.some((t) => t.key === 'complaint.open')) tags.delete('complaint.open');
    const complaintOpen = tags.has('complaint.open');
    const doNotMarket =
      tags.has('consent.do_not_market') ||
      (profile.consent.doNotMarket.active &&
        (!profile.consent.doNotMarket.until || Date.parse(profile.consent.doNotMarket.until) > now));
    const optOut = profile.consent.personalisationOptOut;
    const segment = segmentOf(tags.keys());
    const control = inControlGroup(customerId, learning);
    const ctx: StageContext = {
      expr: {
        tags: new Set(tags.keys()),
        live: new Set(live?.tags.map((t) => t.key) ?? []),
        channel: req.channel,
        marketingConsent: profile.consent.marketing === true,
      },
      tags,
      complaintOpen,
      holdings: new Set(req.holdings ?? []),
      policy: {
        now,
        channel: req.channel,
        doNotMarket,
        personalisationOptOut: optOut,
        contacts: history.contacts,
        responses,
        kindOf: (id) => catalog.byId.get(id)?.kind,
      },
      policyConfig,
    };

    const stages = new Map<string, OfferStages>();
    const suppressed: DecisionRecord['suppressed'] = [];
    const passed: OfferDefinition[] = [];
    for (const offer of catalog.offers) {
      const result = runStages(offer, ctx);
      stages.set(offer.id, result);
      const failed = result.verdicts.find((v) => !v.pass);
      if (failed) suppressed.push({ offerId: offer.id, stage: failed.stage, why: failed.why });
      else passed.push(offer);
    }

    const random = seededRandom(this.seed());
    // The reach ramp holds back untested marketing offers only where a tested one can take their
    // place: at a cold start every offer is untested and all compete; service recovery never waits.
    const tested = passed.some(
      (o) => o.kind !== 'service_recovery' && reachOf(arms.get(armKey(o.id, segment)), learning.ramp) >= 1,
    );
    const armOf = (offer: OfferDefinition): Arm => {
      const counts = arms.get(armKey(offer.id, segment));
      return {
        id: offer.id,
        posterior: posterior(offer.prior, counts),
        reach: tested && offer.kind !== 'service_recovery' ? reachOf(counts, learning.ramp) : 1,
        weight: stages.get(offer.id)!.context * offer.value * offer.levers,
      };
    };
    const armList = passed.map(armOf);
    const propensities = new Map<string, number>();
    let order: string[];
    let probabilities: Map<string, number>;
    const heldBack = new Set<string>();
    if (control) {
      order = randomOrder(
        armList.map((a) => a.id),
        random,
      );
      for (const a of armList)
        propensities.set(a.id, sampleBeta(a.posterior.alpha, a.posterior.beta, random));
      probabilities = new Map(armList.map((a) => [a.id, 1 / armList.length]));
    } else {
      const draw = thompsonDraw(armList, random);
      for (const d of draw.order) propensities.set(d.id, d.propensity);
      for (const id of draw.heldBack) heldBack.add(id);
      order = draw.order.map((d) => d.id);
      probabilities = firstChoiceProbabilities(armList, order[0], learning.samples, random);
    }

    const decisionId = randomUUID();
    const limit = req.limit ?? policyConfig.maxOffers;
    const ordered = order.map((id) => catalog.byId.get(id)!);
    const record = await this.deps.store.reserveAndLog(
      {
        customerId,
        channel: req.channel,
        at: now,
        requests: ordered.map((o) => ({ offerId: o.id, kind: o.kind, decisionId })),
        limit,
        caps: policyConfig.caps.map((c) => ({
          windowMs: c.window,
          max: c.max,
          ...(c.channel ? { channel: c.channel } : {}),
        })),
        countedKinds: policyConfig.capKinds,
      },
      // Runs inside the store's write (one transaction with the reservation in SQLite): plain CPU.
      (grantedIndices): DecisionRecord => {
        const granted = new Set(grantedIndices);

        const offers: DecidedOffer[] = [];
        const arbitration = new Map<string, StageVerdict>();
        const cut = (offer: OfferDefinition, stage: DecisionStage, why: string): void => {
          suppressed.push({ offerId: offer.id, stage, why });
          arbitration.set(offer.id, { stage: 'arbitration', pass: false, why });
        };
        ordered.forEach((offer, i) => {
          if (!granted.has(i)) {
            if (offers.length >= limit) return cut(offer, 'arbitration', `优先级低于已选的${limit}个产品`);
            return cut(offer, 'contact_policy', '已达联系频次上限（按渠道或总量）');
          }
          const arm = armList.find((a) => a.id === offer.id)!;
          const propensity = propensities.get(offer.id) ?? 0;
          const context = stages.get(offer.id)!.context;
          const trigger = triggerOf(stages.get(offer.id)!.found, tags);
          offers.push({
            offerId: offer.id,
            kind: offer.kind,
            product: offer.product,
            name: offer.name,
            score: {
              propensity: round(propensity),
              context,
              value: offer.value,
              levers: offer.levers,
              priority: round(propensity * arm.weight),
            },
            reason: reasonFor(offer, trigger, now, !optOut),
            ...(trigger && !optOut ? { triggerTag: trigger.key } : {}),
            probability: round(probabilities.get(offer.id) ?? 0),
          });
          arbitration.set(offer.id, {
            stage: 'arbitration',
            pass: true,
            why: control
              ? '对照组：随机选择'
              : `排名第${offers.length}（优先级 ${round(propensity * arm.weight)}）`,
          });
        });
        for (const id of heldBack) {
          const offer = catalog.byId.get(id)!;
          const arm = armList.find((a) => a.id === id)!;
          cut(offer, 'arbitration', `新产品逐步放量中：本次未触达（触达率${Math.round(arm.reach * 100)}%）`);
        }

        const record: DecisionRecord = {
          decisionId,
          customerId,
          channel: req.channel,
          ...(req.agentId ? { agentId: redactId(req.agentId, this.deps.pseudonymiseId).id } : {}),
          at,
          segment,
          control,
          catalogVersion: catalog.version,
          offers,
          suppressed,
          stages: Object.fromEntries(
            catalog.offers.map((o) => [
              o.id,
              [
                ...stages.get(o.id)!.verdicts,
                arbitration.get(o.id) ?? { stage: 'arbitration' as const, pass: false, why: '未进入仲裁' },
              ],
            ]),
          ),
          candidates: armList.map((a): Candidate => ({
            offerId: a.id,
            probability: round(probabilities.get(a.id) ?? 0),
            propensityMean: round(a.posterior.alpha / (a.posterior.alpha + a.posterior.beta)),
            context: stages.get(a.id)!.context,
            value: catalog.byId.get(a.id)!.value,
            levers: catalog.byId.get(a.id)!.levers,
          })),
          tags: [...tags.keys()].sort(),
          complaintOpen,
          outcomes: [],
        };
        return record;
      },
    );
    return {
      decisionId,
      at,
      control,
      segment,
      offers: record.offers.map(({ probability: _p, ...o }) => o),
      suppressed: record.suppressed,
    };
  }

  /** Every stage's verdict for every offer of a logged decision. */
  async explain(decisionId: string): Promise<DecisionRecord> {
    const record = await this.deps.store.getDecision(decisionId);
    if (!record) throw new NotFoundError(`Decision ${decisionId}`);
    return record;
  }

  /** An outcome reported by the CRM or the agent's desktop; one per offer of a decision. */
  async recordOutcome(decisionId: string, offerId: string, outcome: Outcome): Promise<OutcomeRecord> {
    const record = await this.deps.store.getDecision(decisionId);
    if (!record) throw new NotFoundError(`Decision ${decisionId}`);
    if (!record.offers.some((o) => o.offerId === offerId))
      throw new ValidationError(`Offer ${offerId} was not offered in decision ${decisionId}`, [
        {
          where: 'body.offerId',
          message: `expected one of: ${record.offers.map((o) => o.offerId).join(', ') || '(none offered)'}`,
        },
      ]);
    const entry: OutcomeRecord = { offerId, outcome, at: new Date(this.now()).toISOString(), source: 'api' };
    if (!(await this.deps.store.addOutcome(record, entry))) {
      const first = (await this.deps.store.getDecision(decisionId))?.outcomes.find(
        (o) => o.offerId === offerId,
      );
      const hours = Math.round(this.deps.catalog.catalog.policy.noAnswerAfter / 3_600_000);
      throw new AppError(
        409,
        'conflict',
        first?.source === 'timeout'
          ? `Decision ${decisionId} already has an outcome for offer ${offerId}: no_answer, recorded at ${first.at} because no outcome came within ${hours} h (policy.noAnswerAfter); the first outcome stands`
          : `Decision ${decisionId} already has an outcome for offer ${offerId}${first ? ` (${first.outcome} at ${first.at})` : ''}; the first outcome stands`,
      );
    }
    return entry;
  }

  /** Re-reads the catalog files; the previous catalog stays when they are invalid (a 400 naming each problem). */
  reloadCatalog(): { version: string; offers: number } {
    try {
      const catalog = this.deps.catalog.reload();
      return { version: catalog.version, offers: catalog.offers.length };
    } catch (err) {
      const problems = err instanceof OfferCatalogError ? err.problems : [(err as Error).message];
      throw new ValidationError(
        'The offer catalog is invalid; the previous one stays in use',
        problems.map((message) => ({ message })),
      );
    }
  }

  get catalog(): CatalogHolder['catalog'] {
    return this.deps.catalog.catalog;
  }

  /** The closed-loop report over the decisions made in [from, to). */
  async report(from: string, to: string): Promise<OfferReport> {
    const records = await this.deps.store.decisions(new Date(from).toISOString(), new Date(to).toISOString());
    return offerReport(records, { from, to }, this.now(), this.deps.catalog.catalog.policy.noAnswerAfter);
  }

  /** Decisions made in [from, to) with their outcomes (reports, offline evaluation). */
  async log(from: string, to: string): Promise<DecisionRecord[]> {
    return this.deps.store.decisions(new Date(from).toISOString(), new Date(to).toISOString());
  }

  /**
   * The `offer-no-answer` job: every granted offer older than `policy.noAnswerAfter` without an
   * outcome is settled as `no_answer` (a negative for its arm), page by page, whether or not the
   * customer comes back. Idempotent: settled offers leave the store's queue of unanswered ones.
   */
  async settleNoAnswer(pageSize = 500, maxPages = 1000): Promise<{ settled: number; dropped: number }> {
    const wait = this.deps.catalog.catalog.policy.noAnswerAfter;
    const madeBefore = this.now() - wait;
    const total = { settled: 0, dropped: 0 };
    for (let page = 0; page < maxPages; page++) {
      const run = await this.deps.store.settleUnanswered(madeBefore, wait, pageSize);
      total.settled += run.settled;
      total.dropped += run.dropped;
      if (run.settled + run.dropped < pageSize) break;
    }
    return total;
  }

  /**
   * Offers made longer ago than noAnswerAfter without an outcome count as no_answer (a negative):
   * settled here for the customer being decided on, so the contact policy sees them even before the
   * `offer-no-answer` job has run.
   */
  private async settleUnanswered(
    history: Awaited<ReturnType<OfferStore['history']>>,
    now: number,
  ): Promise<ResponseEntry[]> {
    const wait = this.deps.catalog.catalog.policy.noAnswerAfter;
    const answered = new Set(history.responses.map((r) => `${r.decisionId}|${r.offerId}`));
    const due = history.contacts.filter(
      (c) => c.at + wait <= now && !answered.has(`${c.decisionId}|${c.offerId}`),
    );
    const settled: ResponseEntry[] = [];
    for (const contact of due) {
      const record = await this.deps.store.getDecision(contact.decisionId);
      if (!record) continue;
      const at = new Date(contact.at + wait).toISOString();
      const entry: OutcomeRecord = { offerId: contact.offerId, outcome: 'no_answer', at, source: 'timeout' };
      if (await this.deps.store.addOutcome(record, entry))
        settled.push({
          at: contact.at + wait,
          offerId: contact.offerId,
          decisionId: contact.decisionId,
          outcome: 'no_answer',
        });
    }
    return settled;
  }

  /** Validates, redacts and analyses a live conversation the way ingest does; nothing is stored. */
  private async analyseLive(
    value: unknown,
    customerId: string,
    now: number,
  ): Promise<{ tags: Tag[]; resolved: boolean } | undefined> {
    if (value === undefined) return undefined;
    const withCustomer =
      value && typeof value === 'object' && !Array.isArray(value) && !('customerId' in value)
        ? { ...value, customerId }
        : value;
    const { conversation: parsed, issues } = validateNativeConversation(withCustomer, 'body.conversation');
    if (!parsed)
      throw new ValidationError(
        'Invalid live conversation',
        issues.map((i) => ({ where: i.where, message: i.message })),
      );
    const { conversation } = redactConversation(parsed, { pseudonymiseId: this.deps.pseudonymiseId });
    if (conversation.customerId !== customerId)
      throw new ValidationError('The live conversation belongs to another customer', [
        {
          where: 'body.conversation.customerId',
          message: 'expected the customerId of the request (or none)',
        },
      ]);
    const analyser = await this.deps.analysis();
    const [result] = await analyser.analyseMany([conversation]);
    const signals = extractSignals(
      {
        conversation,
        tokens: result!.tokens,
        analysis: result!.analysis,
        versions: analyser.versions,
        processedAt: new Date(now).toISOString(),
      },
      this.deps.profileConfig,
    );
    if (!signals) return undefined;
    // Tags of this conversation alone, as the profile step would compute them, at the conversation's
    // own time: it is going on now, so whatever it shows is current even if its startedAt is older.
    const tags = computeTags([signals], {}, Date.parse(signals.at), this.deps.profileConfig)
      .filter((t) => t.status === 'active')
      .map((t): Tag => ({ ...t, version: 0 }));
    return { tags, resolved: signals.resolved };
  }
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
