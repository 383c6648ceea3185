import type { ProcessedConversation } from '../domain/processed-conversation.js';
import { randomUUID } from 'node:crypto';
import type { Analysis } from '../domain/analysis.js';
import { flatLabels, parseFlatLabel, type Correction, type CorrectionAction } from '../domain/correction.js';
import { AppError, NotFoundError, ValidationError } from '../errors.js';
import { redactText } from '../pipeline/redact/index.js';
import { StoreError } from '../storage/errors.js';
import type {
  AuditLog,
  ConversationStore,
  CorrectionPage,
  CorrectionQuery,
  CorrectionStore,
} from '../storage/types.js';
import { applyCorrections, correctionsThatFit } from './apply-corrections.js';
import { evaluationItem, type EvaluationItem } from './evaluation-export.js';
import { estimateQuality, type QualityReport } from './quality.js';

export interface CorrectionRequest {
  conversationId: string;
  utterance: number;
  label: string;
  action: CorrectionAction;
  /** The API key making it. */
  actor: { id: string; name: string };
}

export interface CorrectionResult {
  correction: Correction;
  /** The conversation's analysis with the correction applied (as now stored). */
  analysis: Analysis;
}

const PAGE = 1000;

/** The largest page of corrections a store lists (GET /v1/corrections?limit=). */
export { MAX_LIMIT as MAX_CORRECTIONS_PAGE } from '../storage/search-query.js';
const CONVERSATION_CHUNK = 100;

/**
 * Analyst corrections: stored through the CorrectionStore, applied to the stored analysis at once (so
 * search, facets and filters use them), written to the audit log, and the basis of the quality
 * estimate and of the evaluation export. Re-analysis re-applies them (reanalysis-service.ts).
 */
export class CorrectionService {
  /** Corrections of one conversation are made one after the other (read, apply, write). */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private lastAtMs = 0;

  constructor(
    private readonly deps: {
      conversations: ConversationStore;
      corrections: CorrectionStore;
      audit: AuditLog;
      /** True while a re-analysis runs in this process: its rewrite would race with ours. */
      reanalysing: () => boolean | Promise<boolean>;
      /** Hears each corrected document once stored (the profile step is queued for it). */
      corrected?: (doc: ProcessedConversation) => Promise<void>;
    },
  ) {}

  /**
   * Records a correction and applies it to the stored analysis. Throws NotFoundError for an unknown
   * conversation, ValidationError for an utterance that is not the customer's or a label not in
   * LABEL_FORMS, and a 409 when the label is already there (add) or not there (remove).
   */
  record(request: CorrectionRequest): Promise<CorrectionResult> {
    const previous = this.inFlight.get(request.conversationId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.recordNow(request));
    this.inFlight.set(request.conversationId, next);
    return next.finally(() => {
      if (this.inFlight.get(request.conversationId) === next) this.inFlight.delete(request.conversationId);
    });
  }

  private async recordNow(request: CorrectionRequest): Promise<CorrectionResult> {
    const { conversationId, utterance, label, action } = request;
    if (await this.deps.reanalysing()) {
      throw new AppError(
        409,
        'conflict',
        'A re-analysis is running; make the correction once it has finished (GET /v1/admin/reanalysis)',
      );
    }
    if (parseFlatLabel(label) === undefined) {
      throw new ValidationError(`Unknown label "${label}"`, [{ where: 'body.label', message: label }]);
    }
    const doc = await this.deps.conversations.get(conversationId);
    if (!doc) throw new NotFoundError(`Conversation ${conversationId}`);
    const spoken = doc.conversation.utterances[utterance];
    if (spoken === undefined) {
      throw new ValidationError(`Conversation ${conversationId} has no utterance ${utterance}`, [
        {
          where: 'body.utterance',
          message: `expected 0 to ${doc.conversation.utterances.length - 1}, got ${utterance}`,
        },
      ]);
    }
    if (spoken.speaker !== 'customer') {
      throw new ValidationError(
        `Utterance ${utterance} is spoken by the ${spoken.speaker}; labels come from customer utterances only`,
        [{ where: 'body.utterance', message: 'not a customer utterance' }],
      );
    }
    // Earlier corrections are re-applied first, so one whose write was lost is healed here too.
    const earlier = correctionsThatFit(
      doc.conversation,
      await this.deps.corrections.forConversations([conversationId]),
    );
    const current = applyCorrections(doc.analysis, earlier);
    const labelsBefore = flatLabels(current);
    const present = labelsBefore.includes(label);
    if (action === 'add' && present)
      throw new AppError(409, 'conflict', `The analysis already has the label "${label}"`);
    if (action === 'remove' && !present)
      throw new AppError(409, 'conflict', `The analysis has no label "${label}" to remove`);

    const at = this.now();
    const draft = {
      id: randomUUID(),
      conversationId,
      utterance,
      text: redactText(spoken.text).text,
      label,
      action,
      at,
    };
    const analysis = applyCorrections(current, [draft]);
    const correction: Correction = {
      ...draft,
      labelsBefore,
      labelsAfter: flatLabels(analysis),
      versions: doc.versions,
      actor: request.actor.id,
      actorName: request.actor.name,
    };
    await this.deps.corrections.insert(correction);
    await this.deps.audit.append({
      id: randomUUID(),
      at,
      actor: request.actor.id,
      actorName: redactText(request.actor.name).text,
      action: 'correction',
      query: { conversationId, utterance, label, action, correctionId: correction.id },
      rows: 1,
    });
    try {
      await this.deps.conversations.upsertMany([{ ...doc, analysis }]);
      await this.deps.corrected?.({ ...doc, analysis });
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      // e.g. the index is write-blocked by a re-analysis in another process: the correction is kept.
      throw new AppError(
        503,
        'correction_pending',
        'The correction is stored, but the analysis could not be updated now; it is applied by the next re-analysis or correction of this conversation',
      );
    }
    return { correction, analysis };
  }

  list(query: CorrectionQuery): Promise<CorrectionPage> {
    return this.deps.corrections.list(query);
  }

  /** Per-label precision and recall estimated from every correction (see quality.ts for the bias). */
  async quality(): Promise<QualityReport> {
    const all: Correction[] = [];
    for await (const page of this.pages()) all.push(...page);
    return estimateQuality(all);
  }

  /**
   * One evaluation item per corrected conversation (sorted by id): the stored conversation and its
   * analysis after corrections. Conversations no longer stored are reported to `onMissing`.
   */
  async *evaluationItems(onMissing: (id: string) => void = () => undefined): AsyncGenerator<EvaluationItem> {
    const ids = new Set<string>();
    for await (const page of this.pages()) for (const c of page) ids.add(c.conversationId);
    const sorted = [...ids].sort();
    for (let i = 0; i < sorted.length; i += CONVERSATION_CHUNK) {
      const chunk = sorted.slice(i, i + CONVERSATION_CHUNK);
      const corrections = await this.deps.corrections.forConversations(chunk);
      for (const id of chunk) {
        const doc = await this.deps.conversations.get(id);
        if (!doc) {
          onMissing(id);
          continue;
        }
        const mine = corrections.filter((c) => c.conversationId === id);
        yield evaluationItem(doc, correctionsThatFit(doc.conversation, mine));
      }
    }
  }

  private async *pages(): AsyncGenerator<Correction[]> {
    let after: string | undefined;
    do {
      const page = await this.deps.corrections.list({ limit: PAGE, ...(after ? { after } : {}) });
      yield page.items;
      after = page.next;
    } while (after);
  }

  /** Strictly increasing within this process, so corrections made in one millisecond keep their order. */
  private now(): string {
    this.lastAtMs = Math.max(Date.now(), this.lastAtMs + 1);
    return new Date(this.lastAtMs).toISOString();
  }
}
