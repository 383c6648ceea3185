import type { Analysis, AnalysisVersions } from '../domain/analysis.js';
import type { Correction } from '../domain/correction.js';
import type { ProcessedConversation } from '../domain/processed-conversation.js';
import type { Logger } from '../logging/logger.js';
import type { AnalysisService } from '../analysis/analysis-service.js';
import { applyCorrections, correctionsThatFit } from '../corrections/apply-corrections.js';
import type { ConversationStore, CorrectionStore } from '../storage/types.js';
import { randomBytes } from 'node:crypto';
import { reanalysisJobId, type ReanalysisJobData } from '../queue/jobs.js';
import type { ReanalysisRun, ReanalysisRunStore } from '../storage/reanalysis-run-store.js';
import { labelSet } from './label-set.js';

export interface LabelChange {
  label: string;
  gained: number;
  lost: number;
  /** Up to three conversation ids per direction. */
  examples: { gained: string[]; lost: string[] };
}

export interface DryRunReport {
  scanned: number;
  changed: number;
  current: AnalysisVersions;
  labels: LabelChange[];
}

export interface ReanalysisProgress {
  state: 'idle' | 'running' | 'completed' | 'failed';
  kind?: 'dry-run' | 'reanalysis';
  /** A queued run (batch jobs, progress in the run store): its id. */
  runId?: string;
  total: number;
  scanned: number;
  rewritten: number;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  report?: DryRunReport;
}

const BATCH = 500;

/** Another re-analysis is running (in this process or, for a queued run, anywhere). */
export class ReanalysisRunningError extends Error {
  constructor() {
    super('A re-analysis is already running; see GET /v1/admin/reanalysis');
  }
}

/** What a queued run needs: where its progress lives, how its jobs are queued, what follows a rewrite. */
export interface QueuedReanalysisDeps {
  runs: ReanalysisRunStore;
  enqueue(jobId: string, data: ReanalysisJobData): Promise<void>;
  /** Hears every rewritten batch (already visible to readers: queued runs rewrite in place). */
  rewritten(docs: ProcessedConversation[]): Promise<void>;
}

const sameVersions = (a: AnalysisVersions, b: AnalysisVersions) =>
  a.pipeline === b.pipeline &&
  a.taxonomy === b.taxonomy &&
  a.dictionary === b.dictionary &&
  a.model === b.model;

/**
 * Re-applies the current taxonomy, dictionary and model to stored conversations, batch by batch.
 * The store's rebuild() decides how readers switch over: Elasticsearch fills a new index beside the
 * old one and swaps the alias at the end, so search never shows a half-migrated mix. A run that is
 * interrupted resumes cheaply: documents already at the current versions are not re-analysed.
 * Analysts' corrections are re-applied to every fresh analysis (and to any stored one that lacks them),
 * so a correction outlives the engine version it corrected.
 */
export class ReanalysisService {
  private progress: ReanalysisProgress = { state: 'idle', total: 0, scanned: 0, rewritten: 0 };

  constructor(
    private readonly store: ConversationStore,
    private readonly analysis: () => Promise<AnalysisService>,
    private readonly logger: Logger,
    private readonly corrections: CorrectionStore,
    /**
     * Hears every rewritten batch, and the end of the run (readers see the new analyses only from
     * then on in Elasticsearch): the profile step is queued for what changed.
     */
    private readonly rewritten?: { batch(docs: ProcessedConversation[]): void; done(): Promise<void> },
    private readonly queued?: QueuedReanalysisDeps,
  ) {}

  /** This process's dry run or in-process run (`voc reanalyze`). */
  status(): ReanalysisProgress {
    return { ...this.progress };
  }

  /** The latest of this process's run and the queued run in the store (which every process sees). */
  async progressNow(): Promise<ReanalysisProgress> {
    const stored = await this.queued?.runs.current();
    const local = this.status();
    if (!stored) return local;
    if (local.state === 'running' || (local.startedAt ?? '') > stored.startedAt) return local;
    return toProgress(stored);
  }

  /** A run is going on in this process or as queued jobs anywhere. */
  async running(): Promise<boolean> {
    return (await this.progressNow()).state === 'running' || this.progress.state === 'running';
  }

  /**
   * Starts a re-analysis as queued jobs (both modes): the first plan step is queued, the workers do the
   * rest. Throws ReanalysisRunningError when one is running.
   */
  async startQueued(options: { force?: boolean }): Promise<ReanalysisProgress> {
    const queued = this.requireQueued();
    if (this.progress.state === 'running') throw new ReanalysisRunningError();
    const id = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const startedAt = new Date().toISOString();
    const total = await this.store.count();
    if (!(await queued.runs.begin({ id, force: options.force ?? false, startedAt, total }))) {
      throw new ReanalysisRunningError();
    }
    try {
      await queued.enqueue(reanalysisJobId(id, 'plan', 0), { runId: id, step: 'plan', page: 0 });
    } catch (err) {
      await queued.runs.fail(id, `could not queue the run: ${String(err)}`, new Date().toISOString());
      throw err;
    }
    this.logger.info({ runId: id, total }, 're-analysis queued');
    return toProgress((await queued.runs.get(id))!);
  }

  /** One job of a queued run (the `reanalysis` job's handler). */
  async runStep(step: ReanalysisJobData): Promise<void> {
    const { runs, enqueue } = this.requireQueued();
    const run = await runs.get(step.runId);
    if (run?.state !== 'running') return; // finished, failed or unknown: nothing left to do
    if (step.step === 'plan') {
      const page = await this.store.search({
        tokens: [],
        sort: 'time',
        limit: BATCH,
        ...(step.after ? { after: step.after } : {}),
      });
      const ids = page.hits.map((h) => h.id);
      // The first reading of a page is the plan (a redelivered step reuses its cursor).
      const entry = await runs.planPage(run.id, step.page, {
        count: ids.length,
        ...(page.next && ids.length ? { next: page.next } : {}),
      });
      await enqueue(reanalysisJobId(run.id, 'batch', step.page), {
        runId: run.id,
        step: 'batch',
        page: step.page,
        conversationIds: ids,
      });
      if (entry.next) {
        await enqueue(reanalysisJobId(run.id, 'plan', step.page + 1), {
          runId: run.id,
          step: 'plan',
          page: step.page + 1,
          after: entry.next,
        });
      } else {
        await runs.planned(run.id, step.page + 1);
      }
    } else {
      const rewritten = await this.reanalyseBatch(run, step.conversationIds);
      // The last page done completes the run, and "completed" must mean a search sees it (a console
      // searching right after would otherwise get the facets of before, up to a refresh interval).
      if (rewritten) await this.store.refresh();
      await runs.pageDone(run.id, step.page, { scanned: step.conversationIds.length, rewritten });
    }
    if (await runs.completeIfDone(run.id, new Date().toISOString())) {
      const done = await runs.get(run.id);
      this.logger.info(
        { runId: run.id, scanned: done?.scanned, rewritten: done?.rewritten },
        're-analysis done',
      );
    }
  }

  /** A step failed on its last attempt: the run fails with the reason (a new run can then start). */
  async failQueuedRun(step: ReanalysisJobData, err: unknown): Promise<void> {
    const { runs } = this.requireQueued();
    const reason = err instanceof Error ? err.message : String(err);
    const where = step.step === 'plan' ? `planning page ${step.page}` : `batch ${step.page}`;
    this.logger.error(
      { runId: step.runId, step: step.step, page: step.page, err },
      're-analysis step failed for good',
    );
    await runs.fail(
      step.runId,
      `${where} failed after its last attempt: ${reason}. Fix the cause, then start it again (without force, conversations already at the current versions are skipped).`,
      new Date().toISOString(),
    );
  }

  /**
   * Re-analyses the conversations of one batch that are not at the current versions yet (with force:
   * not rewritten since the run started), in place. Idempotent: run again, it rewrites nothing.
   * Returns how many of the batch's conversations this run has rewritten, by this attempt or by an
   * earlier one that wrote and then died before its page was recorded (a killed worker, a retry), so
   * the page, recorded once, counts each conversation once.
   */
  private async reanalyseBatch(run: ReanalysisRun, ids: string[]): Promise<number> {
    const queued = this.requireQueued();
    // One read for the batch (Elasticsearch mget); a conversation deleted since the plan is skipped.
    const docs = (await this.store.getMany(ids)).filter((doc): doc is ProcessedConversation => !!doc);
    const analyser = await this.analysis();
    const versions = analyser.versions;
    const started = Date.parse(run.startedAt);
    const { out } = await this.rewriteBatch(
      docs,
      analyser,
      (doc) =>
        !sameVersions(doc.versions, versions) || (run.force && !(Date.parse(doc.processedAt) >= started)),
    );
    const changed = out.filter((doc, k) => doc !== docs[k]);
    if (changed.length) {
      await this.store.upsertMany(changed);
      await queued.rewritten(changed);
    }
    // (a conversation uploaded again while the run goes is counted too: it was analysed anew since)
    return out.filter((doc) => sameVersions(doc.versions, versions) && Date.parse(doc.processedAt) >= started)
      .length;
  }

  private requireQueued(): QueuedReanalysisDeps {
    if (!this.queued) throw new Error('Queued re-analysis needs a run store and a queue (see container.ts)');
    return this.queued;
  }

  /** Starts a run in the background; throws when one is already running. */
  start(options: { dryRun?: boolean; force?: boolean }): ReanalysisProgress {
    if (this.progress.state === 'running') throw new Error('a re-analysis is already running');
    const run = options.dryRun ? this.dryRun() : this.run({ force: options.force ?? false });
    run.catch(() => undefined); // the outcome is in status()
    return this.status();
  }

  /** Per label, how many stored conversations would gain or lose it under the current versions. */
  async dryRun(onProgress?: (p: ReanalysisProgress) => void): Promise<DryRunReport> {
    this.begin('dry-run');
    try {
      this.progress.total = await this.store.count();
      const analyser = await this.analysis();
      const changes = new Map<string, LabelChange>();
      let changed = 0;
      for await (const batch of this.scan()) {
        const fresh = await analyser.analyseMany(batch.map((doc) => doc.conversation));
        const corrected = await this.correctionsOf(batch);
        for (const [k, doc] of batch.entries()) {
          const before = labelSet(doc.analysis);
          const after = labelSet(corrected(doc, fresh[k]!.analysis));
          let differs = false;
          for (const [labels, other, direction] of [
            [after, before, 'gained'],
            [before, after, 'lost'],
          ] as const) {
            for (const label of labels) {
              if (other.has(label)) continue;
              differs = true;
              const entry = changes.get(label) ?? {
                label,
                gained: 0,
                lost: 0,
                examples: { gained: [], lost: [] },
              };
              entry[direction]++;
              if (entry.examples[direction].length < 3) entry.examples[direction].push(doc.conversation.id);
              changes.set(label, entry);
            }
          }
          if (differs) changed++;
        }
        this.progress.scanned += batch.length;
        onProgress?.(this.status());
      }
      const report = {
        scanned: this.progress.scanned,
        changed,
        current: analyser.versions,
        labels: [...changes.values()].sort((a, b) => b.gained + b.lost - (a.gained + a.lost)),
      };
      this.finish({ report });
      return report;
    } catch (err) {
      this.fail(err);
      throw err;
    }
  }

  /** Re-analyses every stored conversation not yet at the current versions (all of them with force). */
  async run(
    options: { force: boolean },
    onProgress?: (p: ReanalysisProgress) => void,
  ): Promise<ReanalysisProgress> {
    this.begin('reanalysis');
    try {
      this.progress.total = await this.store.count();
      const analyser = await this.analysis();
      const versions = analyser.versions;
      await this.store.rebuild(async (docs) => {
        const { out, rewritten } = await this.rewriteBatch(
          docs,
          analyser,
          (doc) => options.force || !sameVersions(doc.versions, versions),
        );
        this.progress.rewritten += rewritten;
        this.progress.scanned += docs.length;
        this.rewritten?.batch(out.filter((doc, k) => doc !== docs[k]));
        onProgress?.(this.status());
        return out;
      });
      await this.rewritten?.done();
      this.finish({});
      this.logger.info(
        { scanned: this.progress.scanned, rewritten: this.progress.rewritten, versions },
        're-analysis done',
      );
      return this.status();
    } catch (err) {
      this.fail(err);
      throw err;
    }
  }

  /**
   * The batch with fresh analyses for the documents `stale` picks and the stored corrections re-applied
   * to all; an unchanged document is returned as the same object.
   */
  private async rewriteBatch(
    docs: ProcessedConversation[],
    analyser: AnalysisService,
    stale: (doc: ProcessedConversation) => boolean,
  ): Promise<{ out: ProcessedConversation[]; rewritten: number }> {
    const versions = analyser.versions;
    const picked = docs.filter(stale);
    const fresh = await analyser.analyseMany(picked.map((doc) => doc.conversation));
    const byId = new Map(picked.map((doc, k) => [doc.conversation.id, fresh[k]!]));
    const corrected = await this.correctionsOf(docs);
    const out = docs.map((doc): ProcessedConversation => {
      const result = byId.get(doc.conversation.id);
      if (!result) {
        // Current already; rewritten only when a correction's own write was lost.
        const analysis = corrected(doc, doc.analysis);
        const same = analysis === doc.analysis || JSON.stringify(analysis) === JSON.stringify(doc.analysis);
        return same ? doc : { ...doc, analysis };
      }
      return {
        ...doc,
        tokens: result.tokens,
        analysis: corrected(doc, result.analysis),
        versions,
        processedAt: new Date().toISOString(),
      };
    });
    return { out, rewritten: picked.length };
  }

  /** Looks up the stored corrections of a batch once; the function applies them to one analysis. */
  private async correctionsOf(
    docs: ProcessedConversation[],
  ): Promise<(doc: ProcessedConversation, analysis: Analysis) => Analysis> {
    const byConversation = new Map<string, Correction[]>();
    for (const c of await this.corrections.forConversations(docs.map((d) => d.conversation.id))) {
      const list = byConversation.get(c.conversationId);
      if (list) list.push(c);
      else byConversation.set(c.conversationId, [c]);
    }
    return (doc, analysis) => {
      const mine = byConversation.get(doc.conversation.id);
      return mine ? applyCorrections(analysis, correctionsThatFit(doc.conversation, mine)) : analysis;
    };
  }

  private async *scan(): AsyncGenerator<ProcessedConversation[]> {
    let after: string | undefined;
    do {
      const page = await this.store.search({
        tokens: [],
        sort: 'time',
        limit: BATCH,
        ...(after ? { after } : {}),
      });
      if (page.hits.length) yield page.hits.map((h) => h.document);
      after = page.next;
    } while (after);
  }

  /** Synchronous, so that status() says "running" as soon as start() returns. */
  private begin(kind: ReanalysisProgress['kind']): void {
    if (this.progress.state === 'running') throw new Error('a re-analysis is already running');
    this.progress = {
      state: 'running',
      kind,
      total: 0,
      scanned: 0,
      rewritten: 0,
      startedAt: new Date().toISOString(),
    };
  }

  private finish(extra: Partial<ReanalysisProgress>): void {
    this.progress = { ...this.progress, ...extra, state: 'completed', finishedAt: new Date().toISOString() };
  }

  private fail(err: unknown): void {
    const error = err instanceof Error ? err.message : String(err);
    this.logger.error({ err }, 're-analysis failed');
    this.progress = { ...this.progress, state: 'failed', error, finishedAt: new Date().toISOString() };
  }
}

function toProgress(run: ReanalysisRun): ReanalysisProgress {
  return {
    state: run.state,
    kind: 'reanalysis',
    runId: run.id,
    total: run.total,
    scanned: run.scanned,
    rewritten: run.rewritten,
    startedAt: run.startedAt,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    ...(run.error ? { error: run.error } : {}),
  };
}
