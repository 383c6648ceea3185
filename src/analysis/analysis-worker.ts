/**
 * Worker-thread entry of the analysis pool (analysis-pool.ts): its own pipeline (nodejieba
 * dictionary, taxonomy rules) and its own copy of the classifier, loaded once. Each message is one
 * chunk of an ingest job; the answer is the analysis of each conversation, in order. Nothing is
 * stored here: the main thread writes the results, so job ordering and idempotency stay where they are.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AnalysisVersions } from '../domain/analysis.js';
import { createLogger } from '../logging/logger.js';
import { createPipeline } from '../pipeline/run-pipeline.js';
import { AnalysisService } from './analysis-service.js';
import { loadClassifier } from './load-classifier.js';
import type { AnalysisRequest, AnalysisReply, AnalysisWorkerSettings } from './analysis-pool.js';

const port = parentPort;
if (!port) throw new Error('analysis-worker.ts runs as a worker thread');
const settings = workerData as AnalysisWorkerSettings;

const pipeline = createPipeline({
  modelsDir: settings.modelsDir,
  ...(settings.homeInstitution.names.length ? { homeInstitution: settings.homeInstitution } : {}),
});
// Quiet: the main thread already says which model it runs; a failed load fails the chunk loudly.
const ready = loadClassifier(settings, createLogger('warn')).then(
  (model) => new AnalysisService(pipeline, model),
);
ready.then(
  () => port.postMessage('loaded'),
  () => port.postMessage('loaded'), // the load error is each chunk's answer
);

/** Follows the main thread's taxonomy and dictionary: a reload there reaches the next chunk here. */
function follow(wanted: Pick<AnalysisVersions, 'taxonomy' | 'dictionary'> | undefined): void {
  const have = pipeline.versions;
  if (wanted && (wanted.taxonomy !== have.taxonomy || wanted.dictionary !== have.dictionary))
    pipeline.reload();
}

port.on('message', (request: AnalysisRequest) => {
  ready
    .then(async (analysis) => {
      follow(request.wanted);
      const results = await analysis.analyseMany(request.conversations);
      port.postMessage({ id: request.id, results, versions: analysis.versions } satisfies AnalysisReply);
    })
    .catch((err: unknown) =>
      port.postMessage({
        id: request.id,
        error: err instanceof Error ? err.message : String(err),
      } satisfies AnalysisReply),
    );
});
