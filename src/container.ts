import { AnalysisPool } from './analysis/analysis-pool.js';
import { AnalysisService } from './analysis/analysis-service.js';
import { loadClassifier } from './analysis/load-classifier.js';
import { KeyService } from './auth/key-service.js';
import type { AppConfig } from './config/env.js';
import { CorrectionService } from './corrections/correction-service.js';
import { createIdPseudonymiser, embeddedIdSecret } from './ingest/id-pseudonymiser.js';
import { IngestService } from './ingest/ingest-service.js';
import type { Logger } from './logging/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { HealthService } from './observability/health-service.js';
import { createPipeline, type Pipeline } from './pipeline/run-pipeline.js';
import { createIngestProcessor } from './queue/processors/ingest-processor.js';
import {
  createCompetitorReportProcessor,
  scheduleWeeklyReport,
} from './queue/processors/competitor-report-processor.js';
import {
  createProfileExpiryProcessor,
  createProfileUpdateProcessor,
  profileUpdatesAfterRewrite,
  queueProfileUpdates,
} from './queue/processors/profile-processors.js';
import { createOfferNoAnswerProcessor } from './queue/processors/offer-processors.js';
import { CatalogHolder } from './offers/catalog.js';
import { DecisionService } from './offers/decision-service.js';
import { LocalControlBus, RedisControlBus, type ControlBus } from './control/control-bus.js';
import { TaxonomyReloader } from './control/taxonomy-reload.js';
import { loadProfileConfig } from './profiles/profile-config.js';
import { redactId } from './pipeline/redact/index.js';
import { ProfileService } from './profiles/profile-service.js';
import type { ProfileStore } from './storage/profile-store.js';
import { RedisProfileStore } from './storage/redis/redis-profile-store.js';
import { SqliteProfileStore } from './storage/sqlite/sqlite-profile-store.js';
import { createWebhookDeliveryProcessor } from './queue/processors/webhook-processor.js';
import { RedisWebhookStore } from './storage/redis/redis-webhook-store.js';
import { SqliteWebhookStore } from './storage/sqlite/sqlite-webhook-store.js';
import type { WebhookStore } from './storage/webhook-store.js';
import { AddressGuard } from './webhooks/address-guard.js';
import { createSender } from './webhooks/webhook-sender.js';
import { WebhookService } from './webhooks/webhook-service.js';
import { TagExportService } from './profiles/tag-export-service.js';
import type { OfferStore } from './storage/offer-store.js';
import { RedisOfferStore } from './storage/redis/redis-offer-store.js';
import { SqliteOfferStore } from './storage/sqlite/sqlite-offer-store.js';
import { createJobQueue } from './queue/queues.js';
import type { JobQueue } from './queue/types.js';
import { startWorker } from './queue/worker.js';
import { ExportService } from './search/export-service.js';
import { SavedSearchService } from './search/saved-search-service.js';
import { ReanalysisService } from './reanalysis/reanalysis-service.js';
import { createReanalysisProcessor } from './queue/processors/reanalysis-processor.js';
import type { ReanalysisRunStore } from './storage/reanalysis-run-store.js';
import { RedisReanalysisRunStore } from './storage/redis/redis-reanalysis-run-store.js';
import { SqliteReanalysisRunStore } from './storage/sqlite/sqlite-reanalysis-run-store.js';
import { CompetitorReportService } from './reports/competitor-report-service.js';
import { ReportFacade, type TaxonomyDeps } from './reports/report-facade.js';
import { loadReportVocabulary } from './reports/vocabulary.js';
import { SearchService } from './search/search-service.js';
import { createStores } from './storage/create-stores.js';
import type { Stores } from './storage/types.js';

export interface Container {
  config: AppConfig;
  logger: Logger;
  stores: Stores;
  queue: JobQueue;
  metrics: Metrics;
  keys: KeyService;
  /** Readiness: the conversation store and the queue answer (GET /readyz). */
  health: HealthService;
  ingest: IngestService;
  search: SearchService;
  reanalysis: ReanalysisService;
  savedSearches: SavedSearchService;
  exporter: ExportService;
  corrections: CorrectionService;
  reports: ReportFacade;
  profiles: ProfileService;
  webhooks: WebhookService;
  tagExport: TagExportService;
  /** Taxonomy reloads that reach every process, and the versions each one runs. */
  control: TaxonomyReloader;
  /** The roles this process plays (set by startService; reported on the control bus). */
  processRoles: string[];
  /** Next-best-offer decisions, outcomes and their log. */
  decisions: DecisionService;
  /** Loaded lazily: key management and the API process of the distributed mode do not analyse. */
  pipeline(): Pipeline;
  /** Rules plus the configured classifier; loaded on first use. */
  analysis(): Promise<AnalysisService>;
  startWorker(): void;
  close(options?: { drain?: boolean }): Promise<void>;
}

/** The composition root: the only place that calls constructors of stores, queues and services. */
export interface ContainerOverrides {
  /** The clock of profiles and decisions (ms since epoch): tests let months pass with it. */
  now?: () => number;
  /** A seed per decision for the offer sampler (Thompson draws): tests fix it to be reproducible. */
  decisionSeed?: () => number;
}

export async function createContainer(
  config: AppConfig,
  logger: Logger,
  overrides: ContainerOverrides = {},
): Promise<Container> {
  const stores = await createStores(config.storage);
  const queue = createJobQueue(
    config.queue,
    { attempts: config.jobs.attempts, backoffMs: config.jobs.backoffMs },
    logger,
  );
  const metrics = createMetrics(queue);
  let pipeline: Pipeline | undefined;
  const getPipeline = (): Pipeline =>
    (pipeline ??= createPipeline({
      modelsDir: config.modelsDir,
      ...(config.homeInstitution.names.length ? { homeInstitution: config.homeInstitution } : {}),
    }));
  const bus: ControlBus =
    config.queue.kind === 'redis'
      ? new RedisControlBus(config.queue.url, config.queue.prefix, logger)
      : new LocalControlBus();
  const processRoles: string[] = [];
  const control = new TaxonomyReloader({
    bus,
    loadedPipeline: () => pipeline,
    pipeline: getPipeline,
    roles: () => processRoles,
    logger,
  });
  let analysis: Promise<AnalysisService> | undefined;
  const getAnalysis = (): Promise<AnalysisService> =>
    (analysis ??= loadClassifier(config, logger).then(
      (classifier) => new AnalysisService(getPipeline(), classifier),
    ));
  // Embedded mode with ANALYSIS_THREADS > 0 (the default): ingest jobs are analysed in child
  // processes, off the API's event loop (src/analysis/analysis-pool.ts says why not threads).
  const analysisPool =
    config.mode === 'embedded' && config.jobs.analysisThreads > 0
      ? new AnalysisPool(
          {
            modelsDir: config.modelsDir,
            homeInstitution: config.homeInstitution,
            ...(config.classifierDir ? { classifierDir: config.classifierDir } : {}),
          },
          // Only a pipeline loaded here (search, a reload) has versions the workers must follow.
          () =>
            pipeline && { taxonomy: pipeline.versions.taxonomy, dictionary: pipeline.versions.dictionary },
          config.jobs.analysisThreads,
        )
      : undefined;
  const search = new SearchService(stores.conversations, (text) => getPipeline().segmentQuery(text));
  // Queued re-analysis runs keep their progress here, so every process sees it and any worker resumes it.
  const reanalysisRuns: ReanalysisRunStore =
    config.queue.kind === 'redis'
      ? new RedisReanalysisRunStore(config.queue.url, config.queue.prefix)
      : new SqliteReanalysisRunStore(config.queue.dataDir);
  const reanalysis = new ReanalysisService(
    stores.conversations,
    getAnalysis,
    logger,
    stores.corrections,
    profileUpdatesAfterRewrite(queue),
    {
      runs: reanalysisRuns,
      enqueue: (jobId, data) => queue.enqueue('reanalysis', jobId, data),
      rewritten: async (docs) => {
        if (config.profiles.enabled) await queueProfileUpdates(queue, docs);
      },
    },
  );
  const idSecret =
    config.idHashSecret ?? embeddedIdSecret(config.storage.kind === 'sqlite' ? config.storage.dataDir : '.');
  const pseudonymiseId = createIdPseudonymiser(idSecret);
  const profileStore: ProfileStore =
    config.queue.kind === 'redis'
      ? new RedisProfileStore(config.queue.url, config.queue.prefix)
      : new SqliteProfileStore(config.queue.dataDir);
  const profileConfig = loadProfileConfig(config.modelsDir);
  const profiles = new ProfileService({
    store: profileStore,
    conversations: stores.conversations,
    config: profileConfig,
    logger,
    storedCustomerId: (raw) => redactId(raw, pseudonymiseId).id,
    ...(overrides.now ? { now: overrides.now } : {}),
    // Queues delivery to interested webhooks; the sweep job catches a trigger lost here.
    onChanges: (changes) =>
      webhooks
        .notify(changes)
        .catch((err: unknown) => logger.warn({ err }, 'could not queue webhook deliveries; the sweep will')),
    feedRetentionMs: config.profiles.feedRetentionDays * 24 * 3600 * 1000,
  });
  const webhookStore: WebhookStore =
    config.queue.kind === 'redis'
      ? new RedisWebhookStore(config.queue.url, config.queue.prefix)
      : new SqliteWebhookStore(config.queue.dataDir);
  const webhookGuard = new AddressGuard(config.webhooks.allowHosts);
  const webhooks: WebhookService = new WebhookService({
    store: webhookStore,
    feed: profiles,
    queue,
    guard: webhookGuard,
    send: createSender(webhookGuard),
    logger,
    maxAttempts: config.webhooks.maxAttempts,
    backoffMs: config.webhooks.backoffMs,
  });
  const reports = createReports(config, stores, {
    modelsDir: config.modelsDir,
    vocabulary: () => loadReportVocabulary(config.modelsDir, config.homeInstitution.names),
    reload: () => control.reloadEverywhere(),
    reanalysis,
  });
  const offerStore: OfferStore =
    config.queue.kind === 'redis'
      ? new RedisOfferStore(config.queue.url, config.queue.prefix)
      : new SqliteOfferStore(config.queue.dataDir, {
          onCheckpointError: (err) =>
            logger.warn(
              { err },
              'the decision store checkpoint thread failed; commits checkpoint the WAL instead',
            ),
        });
  const decisions = new DecisionService({
    catalog: new CatalogHolder(config.modelsDir),
    store: offerStore,
    profiles,
    profileConfig,
    analysis: getAnalysis,
    pseudonymiseId,
    ...(overrides.now ? { now: overrides.now } : {}),
    ...(overrides.decisionSeed ? { seed: overrides.decisionSeed } : {}),
  });
  return {
    config,
    logger,
    stores,
    queue,
    metrics,
    keys: new KeyService(stores.keys),
    health: new HealthService({ store: stores.conversations, queue }),
    ingest: new IngestService(queue, config.jobs.batchSize, logger, pseudonymiseId, idSecret),
    search,
    savedSearches: new SavedSearchService(stores.savedSearches),
    exporter: new ExportService(search, stores.audit),
    pipeline: getPipeline,
    analysis: getAnalysis,
    reanalysis,
    reports,
    profiles,
    webhooks,
    tagExport: new TagExportService(profiles, stores.audit),
    control,
    processRoles,
    decisions,
    corrections: new CorrectionService({
      conversations: stores.conversations,
      corrections: stores.corrections,
      audit: stores.audit,
      reanalysing: () => reanalysis.running(),
      corrected: (doc) => queueProfileUpdates(queue, [doc]),
    }),
    startWorker() {
      const ingest = createIngestProcessor({
        analysis: analysisPool ? () => Promise.resolve(analysisPool) : getAnalysis,
        ...(analysisPool ? { writeSlice: 20 } : {}),
        store: stores.conversations,
        corrections: stores.corrections,
        metrics,
        logger,
        superseded: (jobId, ids) => queue.superseded(jobId, ids),
        // PROFILES_ENABLED=false leaves the profile step out (bench:profiles measures its cost).
        ...(config.profiles.enabled ? { written: (docs) => queueProfileUpdates(queue, docs) } : {}),
      });
      startWorker({
        queue,
        handlers: {
          ingest,
          'profile-update': createProfileUpdateProcessor(profiles, logger),
          'profile-expiry': createProfileExpiryProcessor(profiles),
          'webhook-delivery': createWebhookDeliveryProcessor(webhooks, logger),
          'competitor-report': createCompetitorReportProcessor(reports, logger),
          'offer-no-answer': createOfferNoAnswerProcessor(decisions, logger),
          reanalysis: createReanalysisProcessor(reanalysis),
        },
        concurrency: config.jobs.concurrency,
        metrics,
        logger,
      });
      // Expiry also applies on read; the job makes exits reach the feed and trims it to its retention.
      queue
        .schedule({ name: 'profile-expiry', data: {}, cron: config.profiles.expiryCron, tz: 'Asia/Shanghai' })
        .catch((err: unknown) =>
          logger.warn({ err }, 'could not schedule the tag expiry job; will try at next start'),
        );
      // The safety net of webhook delivery: triggers lost to a crash or a full queue are found here.
      queue
        .schedule({
          name: 'webhook-delivery',
          data: {},
          cron: config.webhooks.sweepCron,
          tz: 'Asia/Shanghai',
        })
        .catch((err: unknown) =>
          logger.warn({ err }, 'could not schedule the webhook sweep job; will try at next start'),
        );
      // Unanswered offers become negatives for every customer, not only those who come back.
      queue
        .schedule({
          name: 'offer-no-answer',
          data: {},
          cron: config.offers.noAnswerCron,
          tz: 'Asia/Shanghai',
        })
        .catch((err: unknown) =>
          logger.warn({ err }, 'could not schedule the offer no-answer job; will try at next start'),
        );
      scheduleWeeklyReport(queue, logger);
    },
    async close(options = {}) {
      await queue.close(options);
      await analysisPool?.close();
      await profileStore.close();
      await reanalysisRuns.close();
      await webhookStore.close();
      await bus.close();
      await offerStore.close();
      await stores.close();
    },
  };
}

/** Key management needs only the key store: `voc keys` works without the server, queue or models. */
export async function createKeyAdmin(
  config: AppConfig,
): Promise<{ keys: KeyService; close(): Promise<void> }> {
  const stores = await createStores(config.storage);
  return { keys: new KeyService(stores.keys), close: () => stores.close() };
}

/** `voc corrections` reads the stores only: no queue, no models. */
export async function createCorrectionAdmin(
  config: AppConfig,
): Promise<{ corrections: CorrectionService; close(): Promise<void> }> {
  const stores = await createStores(config.storage);
  const corrections = new CorrectionService({
    conversations: stores.conversations,
    corrections: stores.corrections,
    audit: stores.audit,
    // Exports never write; a re-analysis in another process does not concern them.
    reanalysing: () => false,
  });
  return { corrections, close: () => stores.close() };
}

function createReports(config: AppConfig, stores: Stores, taxonomy?: TaxonomyDeps): ReportFacade {
  const competitors = new CompetitorReportService(
    stores.competitorStats,
    stores.conversations,
    // Read per report: a taxonomy reload applies to the next report.
    () => loadReportVocabulary(config.modelsDir, config.homeInstitution.names),
  );
  return new ReportFacade(competitors, stores.reports, undefined, undefined, taxonomy);
}

/** `voc report` reads the stores and prints: no queue, no models. */
export async function createReportAdmin(
  config: AppConfig,
): Promise<{ reports: ReportFacade; close(): Promise<void> }> {
  const stores = await createStores(config.storage);
  return { reports: createReports(config, stores), close: () => stores.close() };
}
