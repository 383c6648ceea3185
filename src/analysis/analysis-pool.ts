/**
 * Embedded-mode analysis off the API's event loop: a few worker threads (analysis-worker.ts), each
 * with its own pipeline and classifier, take chunks of ingest jobs from one FIFO queue. Segmentation,
 * rules and the ONNX model run there; the results come back to the job on the main thread, which
 * stores them, so which job writes what and in which order is unchanged (the ingest processor still
 * awaits each chunk before writing it). A worker that dies fails its chunk (the job retries) and is
 * replaced on the next chunk.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AppConfig } from '../config/env.js';
import type { AnalysisVersions } from '../domain/analysis.js';
import type { Conversation } from '../domain/conversation.js';
import type { ProcessResult } from '../pipeline/run-pipeline.js';

/** What a worker needs to build its pipeline and load its model (structured-cloned). */
export type AnalysisWorkerSettings = Pick<AppConfig, 'modelsDir' | 'classifierDir' | 'homeInstitution'>;

export interface AnalysisRequest {
  id: number;
  conversations: Conversation[];
  /** The main thread's taxonomy and dictionary versions: the worker reloads when it runs others. */
  wanted?: Pick<AnalysisVersions, 'taxonomy' | 'dictionary'>;
}

export type AnalysisReply =
  { id: number; results: ProcessResult[]; versions: AnalysisVersions } | { id: number; error: string };

/** The part of AnalysisService an ingest job uses. */
export interface Analyser {
  readonly versions: AnalysisVersions;
  analyseMany(conversations: Conversation[]): Promise<ProcessResult[]>;
}

interface Task {
  request: AnalysisRequest;
  resolve: (results: ProcessResult[]) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
  /** Settles once the thread has loaded its modules (or exited): terminating it earlier crashes Node. */
  loaded: Promise<void>;
  isLoaded: boolean;
}

/** One thread per core but one (the API keeps a core), at least one, at most four. */
export function defaultAnalysisThreads(): number {
  return Math.min(4, Math.max(1, availableParallelism() - 1));
}

export class AnalysisPool implements Analyser {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  private last: AnalysisVersions | undefined;

  constructor(
    private readonly settings: AnalysisWorkerSettings,
    /** The versions the main thread runs (its pipeline): workers follow its reloads. */
    private readonly wanted: () => Pick<AnalysisVersions, 'taxonomy' | 'dictionary'> | undefined,
    private readonly size = defaultAnalysisThreads(),
  ) {}

  /** The versions of the last chunk analysed (read after analyseMany, as the ingest processor does). */
  get versions(): AnalysisVersions {
    if (!this.last) throw new Error('no chunk analysed yet: the versions are known after analyseMany');
    return this.last;
  }

  /** Analyses one chunk in a worker; the answer is in the order of `conversations`. */
  analyseMany(conversations: Conversation[]): Promise<ProcessResult[]> {
    if (this.closed)
      return Promise.reject(new Error('the analysis pool is closed (the service is stopping)'));
    return new Promise((resolve, reject) => {
      const wanted = this.wanted();
      this.queue.push({
        request: { id: this.nextId++, conversations, ...(wanted ? { wanted } : {}) },
        resolve,
        reject,
      });
      this.dispatch();
    });
  }

  /** Terminates the workers; waiting and running chunks fail (their jobs are retried after a restart). */
  async close(): Promise<void> {
    this.closed = true;
    const gone = new Error('the analysis pool closed before the chunk was analysed');
    for (const task of this.queue.splice(0)) task.reject(gone);
    const slots = this.slots.splice(0);
    for (const slot of slots) slot.task?.reject(gone);
    // One thread at a time, like their start: native addons (nodejieba, onnxruntime) are torn down
    // with their thread, and two teardowns at once once aborted the process (free(): invalid pointer).
    for (const s of slots) {
      await Promise.race([s.loaded, new Promise((r) => setTimeout(r, 30_000).unref())]);
      await s.worker.terminate();
    }
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.task === undefined);
      // A new thread starts only when the others have loaded: native addons initialise one at a time
      // (two threads loading nodejieba and onnxruntime at once could corrupt the heap).
      if (slot === undefined && this.slots.length < this.size && this.slots.every((s) => s.isLoaded))
        slot = this.spawn();
      if (slot === undefined) return;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.ref();
      slot.worker.postMessage(task.request);
    }
  }

  private spawn(): Slot {
    holdOnnxRuntime();
    const worker = startWorker(this.settings);
    let settle = (): void => undefined;
    const slot: Slot = {
      worker,
      task: undefined,
      loaded: new Promise((r) => (settle = r)),
      isLoaded: false,
    };
    const loaded = (): void => {
      slot.isLoaded = true;
      settle();
    };
    worker.once('exit', () => loaded());
    worker.on('message', (reply: AnalysisReply | 'loaded') => {
      if (reply === 'loaded') {
        loaded();
        if (!this.closed) this.dispatch(); // the next thread may start now
        return;
      }
      const task = slot.task;
      if (task === undefined || task.request.id !== reply.id) return;
      slot.task = undefined;
      worker.unref();
      if ('error' in reply) task.reject(new Error(`analysis worker: ${reply.error}`));
      else {
        this.last = reply.versions;
        task.resolve(reply.results);
      }
      this.dispatch();
    });
    const lost = (error: Error): void => {
      const at = this.slots.indexOf(slot);
      if (at >= 0) this.slots.splice(at, 1);
      slot.task?.reject(error);
      slot.task = undefined;
      if (!this.closed) this.dispatch();
    };
    worker.on('error', (err) => lost(new Error(`analysis worker failed: ${err.message}`)));
    worker.on('exit', (code) => lost(new Error(`analysis worker exited (code ${code})`)));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }
}

let onnxRuntimeHeld = false;

/**
 * onnxruntime-node's addon registers itself only when first loaded: once every thread that loaded it
 * has exited, a new thread's load fails ("Module did not self-register"), so a thread replacing a
 * dead one could not analyse. The main thread loads it once (about 30 ms) and keeps it loaded.
 */
function holdOnnxRuntime(): void {
  if (onnxRuntimeHeld) return;
  onnxRuntimeHeld = true;
  const require = createRequire(import.meta.url);
  createRequire(require.resolve('@xenova/transformers'))('onnxruntime-node');
}

/**
 * The compiled worker next to this file; from TypeScript sources (tsx: tests, tools) a worker does
 * not inherit tsx's loader, so a one-line bootstrap registers it first.
 */
function startWorker(workerData: AnalysisWorkerSettings): Worker {
  if (import.meta.url.endsWith('.js')) {
    return new Worker(new URL('./analysis-worker.js', import.meta.url), { workerData });
  }
  const source = new URL('./analysis-worker.ts', import.meta.url).href;
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  return new Worker(
    `import(${JSON.stringify(pathToFileURL(api).href)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`,
    { eval: true, workerData },
  );
}
