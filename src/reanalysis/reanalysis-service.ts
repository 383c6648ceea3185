import type { Analysis, AnalysisVersions } from '../domain/analysis.js';
import type { Correction } from '../domain/correction.js';
import type { ProcessedConversation } from '../domain/processed-conversation.js';
import type { Logger } from '../logging/logger.js';
import type { AnalysisService } from '../analysis/analysis-service.js';
import { applyCorrections, correctionsThatFit } from '../corrections/apply-corrections.js';
import type { ConversationStore, CorrectionStore } from '../storage/types.js';
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
  total: number;
  scanned: number;
  rewritten: number;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  report?: DryRunReport;
}

const BATCH = 500;

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
  ) {}

  status(): ReanalysisProgress {
    return { ...this.progress };
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
        const stale = docs.filter((doc) => options.force || !sameVersions(doc.versions, versions));
        const fresh = await analyser.analyseMany(stale.map((doc) => doc.conversation));
        const byId = new Map(stale.map((doc, k) => [doc.conversation.id, fresh[k]!]));
        const corrected = await this.correctionsOf(docs);
        this.progress.rewritten += stale.length;
        const out = docs.map((doc): ProcessedConversation => {
          const result = byId.get(doc.conversation.id);
          if (!result) {
            // Current already; rewritten only when a correction's own write was lost.
            const analysis = corrected(doc, doc.analysis);
            const same =
              analysis === doc.analysis || JSON.stringify(analysis) === JSON.stringify(doc.analysis);
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
