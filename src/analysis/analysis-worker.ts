/**
 * Child-process entry of the analysis pool (analysis-pool.ts): its own pipeline (nodejieba
 * dictionary, taxonomy rules) and its own copy of the classifier, loaded once from the settings of
 * the first message. Each later message is one chunk of an ingest job; the answer is the analysis of
 * each conversation, in order. Nothing is stored here: the API process writes the results, so job
 * ordering and idempotency stay where they are. The process leaves when its parent closes the IPC
 * channel or dies, so it never outlives the API.
 */
import { setPriority } from 'node:os';
import type { AnalysisVersions } from '../domain/analysis.js';
import { createLogger } from '../logging/logger.js';
import { createPipeline, type Pipeline } from '../pipeline/run-pipeline.js';
import type { AnalysisReply, AnalysisWorkerMessage, AnalysisWorkerSettings } from './analysis-pool.js';
import { AnalysisService } from './analysis-service.js';
import { loadClassifier } from './load-classifier.js';

/** nice(1) value: lower priority than the API (0), not starved (19 is the lowest). */
const ANALYSIS_NICENESS = 10;

if (!process.send) throw new Error('analysis-worker.ts runs as a child process of the analysis pool');
const send = (reply: AnalysisReply): void => {
  // A parent that is gone cannot take the answer; the disconnect handler ends this process.
  if (process.connected) process.send!(reply);
};
process.on('disconnect', () => process.exit(0));
// Analysis is background work: when the API process and this one want the same core, the API's
// event loop (requests, /healthz) goes first. Raising one's own niceness needs no privilege.
try {
  setPriority(ANALYSIS_NICENESS);
} catch {
  // a platform without priorities: analysis then competes as an equal
}

let pipeline: Pipeline | undefined;
let ready: Promise<AnalysisService> | undefined;

function load(settings: AnalysisWorkerSettings): Promise<AnalysisService> {
  const loaded = createPipeline({
    modelsDir: settings.modelsDir,
    ...(settings.homeInstitution.names.length ? { homeInstitution: settings.homeInstitution } : {}),
  });
  pipeline = loaded;
  // Quiet: the API already says which model it runs; a failed load fails each chunk loudly.
  return loadClassifier(settings, createLogger('warn')).then((model) => new AnalysisService(loaded, model));
}

/** Follows the API's taxonomy and dictionary: a reload there reaches the next chunk here. */
function follow(wanted: Pick<AnalysisVersions, 'taxonomy' | 'dictionary'> | undefined): void {
  const have = pipeline!.versions;
  if (wanted && (wanted.taxonomy !== have.taxonomy || wanted.dictionary !== have.dictionary))
    pipeline!.reload();
}

process.on('message', (message: AnalysisWorkerMessage) => {
  if ('settings' in message) {
    ready = load(message.settings);
    ready.catch(() => undefined); // the load error is each chunk's answer
    return;
  }
  const request = message;
  if (!ready) {
    send({ id: request.id, error: 'a chunk came before the settings (analysis-pool.ts sends them first)' });
    return;
  }
  ready
    .then(async (analysis) => {
      follow(request.wanted);
      const results = await analysis.analyseMany(request.conversations);
      send({ id: request.id, results, versions: analysis.versions });
    })
    .catch((err: unknown) =>
      send({ id: request.id, error: err instanceof Error ? err.message : String(err) }),
    );
});
