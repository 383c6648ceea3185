/**
 * Embedded-mode analysis off the API's event loop: a few child processes (analysis-worker.ts), each
 * with its own pipeline and classifier, take chunks of ingest jobs from one FIFO queue. Segmentation,
 * rules and the ONNX model run there; the results come back to the job in this process, which stores
 * them, so which job writes what and in which order is unchanged (the ingest processor still awaits
 * each chunk before writing it). A process that dies fails its chunk (the job retries) and is
 * replaced on the next chunk.
 *
 * Why processes and not worker threads: onnxruntime-node 1.14 (pinned by @xenova/transformers 2.x)
 * keeps its JavaScript constructor in one process-wide static reference, so every thread that loads
 * the addon overwrites (and frees) the reference of the thread before it; once that thread has
 * exited, the free corrupts the heap and the whole process aborts (`free(): invalid pointer`,
 * `malloc(): invalid next size`: two bare threads that only require onnxruntime-node and exit do it
 * within two rounds). nodejieba and sharp loaded the same way do not. A child process has its own
 * heap and addons, and killing one at any moment cannot harm the API.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AppConfig } from '../config/env.js';
import type { AnalysisVersions } from '../domain/analysis.js';
import type { Conversation } from '../domain/conversation.js';
import type { ProcessResult } from '../pipeline/run-pipeline.js';

/** What a process needs to build its pipeline and load its model (sent with its first message). */
export type AnalysisWorkerSettings = Pick<AppConfig, 'modelsDir' | 'classifierDir' | 'homeInstitution'>;

export interface AnalysisRequest {
  id: number;
  conversations: Conversation[];
  /** This process's taxonomy and dictionary versions: the worker reloads when it runs others. */
  wanted?: Pick<AnalysisVersions, 'taxonomy' | 'dictionary'>;
}

export type AnalysisWorkerMessage = { settings: AnalysisWorkerSettings } | AnalysisRequest;

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
  child: ChildProcess;
  task: Task | undefined;
  exited: Promise<void>;
}

/** How long a closing pool waits for SIGTERM to end a process before SIGKILL. */
const EXIT_GRACE_MS = 5_000;

/** One process per core but one (the API keeps a core), at least one, at most four. */
export function defaultAnalysisProcesses(): number {
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
    /** The versions this process runs (its pipeline): the workers follow its reloads. */
    private readonly wanted: () => Pick<AnalysisVersions, 'taxonomy' | 'dictionary'> | undefined,
    private readonly size = defaultAnalysisProcesses(),
  ) {}

  /** The versions of the last chunk analysed (read after analyseMany, as the ingest processor does). */
  get versions(): AnalysisVersions {
    if (!this.last) throw new Error('no chunk analysed yet: the versions are known after analyseMany');
    return this.last;
  }

  /** Process ids of the running workers (for tests and diagnostics). */
  get pids(): number[] {
    return this.slots.flatMap((s) => (s.child.pid === undefined ? [] : [s.child.pid]));
  }

  /** Analyses one chunk in a worker process; the answer is in the order of `conversations`. */
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

  /**
   * Stops the workers; waiting and running chunks fail (their jobs are retried after a restart).
   * A worker is ended at once, loading or analysing: killing a process at any point is safe (it
   * stores nothing and shares no memory with this one), unlike terminating a thread.
   */
  async close(): Promise<void> {
    this.closed = true;
    const gone = new Error('the analysis pool closed before the chunk was analysed');
    for (const task of this.queue.splice(0)) task.reject(gone);
    const slots = this.slots.splice(0);
    for (const slot of slots) slot.task?.reject(gone);
    await Promise.all(
      slots.map(async ({ child, exited }) => {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.task === undefined);
      if (slot === undefined && this.slots.length < this.size) slot = this.spawn();
      if (slot === undefined) return;
      const task = this.queue.shift()!;
      slot.task = task;
      hold(slot.child, true); // a chunk in flight keeps this process alive until it is answered
      slot.child.send(task.request satisfies AnalysisWorkerMessage, (err) => {
        if (err) this.lost(slot, new Error(`could not send a chunk to the analysis worker: ${err.message}`));
      });
    }
  }

  private spawn(): Slot {
    const child = startWorker();
    let settle = (): void => undefined;
    const slot: Slot = { child, task: undefined, exited: new Promise((r) => (settle = r)) };
    child.on('message', (reply: AnalysisReply) => {
      const task = slot.task;
      if (task === undefined || task.request.id !== reply.id) return;
      slot.task = undefined;
      hold(child, false);
      if ('error' in reply) task.reject(new Error(`analysis worker: ${reply.error}`));
      else {
        this.last = reply.versions;
        task.resolve(reply.results);
      }
      this.dispatch();
    });
    child.on('error', (err) => {
      if (child.pid === undefined) settle(); // never started: no 'exit' will come
      this.lost(slot, new Error(`analysis worker failed: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      settle();
      this.lost(slot, new Error(`analysis worker exited (${signal ?? `code ${code}`}); the job will retry`));
    });
    child.send({ settings: this.settings } satisfies AnalysisWorkerMessage);
    hold(child, false);
    this.slots.push(slot);
    return slot;
  }

  /** A process that failed or exited leaves the pool; its chunk fails and a new one starts on demand. */
  private lost(slot: Slot, error: Error): void {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    slot.task?.reject(error);
    slot.task = undefined;
    if (slot.child.exitCode === null && slot.child.signalCode === null) slot.child.kill('SIGKILL');
    if (!this.closed) this.dispatch();
  }
}

/** An idle worker must not keep the API process alive (its IPC channel is a handle like a socket). */
function hold(child: ChildProcess, busy: boolean): void {
  const channel = child.channel as { ref(): void; unref(): void } | null | undefined;
  if (busy) {
    child.ref();
    channel?.ref();
  } else {
    child.unref();
    channel?.unref();
  }
}

/**
 * The compiled worker next to this file; from TypeScript sources (tsx: tests, tools) the child loads
 * tsx first. execArgv is set, not inherited: the parent's flags (--cpu-prof, --inspect, a test
 * runner's loader) are not the worker's business. "advanced" serialization (the structured clone, as
 * for worker threads) keeps undefined fields and typed values as they are.
 */
function startWorker(): ChildProcess {
  const compiled = import.meta.url.endsWith('.js');
  const entry = fileURLToPath(
    new URL(compiled ? './analysis-worker.js' : './analysis-worker.ts', import.meta.url),
  );
  const execArgv = compiled
    ? []
    : ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
  return fork(entry, [], { execArgv, serialization: 'advanced', stdio: 'inherit' });
}
