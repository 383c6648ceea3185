import { Worker } from 'node:worker_threads';
import type { Conversation } from '../domain/conversation.js';
import { AppError, type ErrorDetail } from '../errors.js';
import type { ParseIssue, ParseOptions } from './formats/index.js';
import type { Manifest } from './metadata/manifest.js';

/** What the API thread sends the parse worker (structured-cloned; the file bytes are transferred). */
export interface ParseJob {
  /** `contentType`: a request body's, decoded in its charset by the worker (UploadedFile). */
  files: { name: string; bytes: ArrayBuffer; contentType?: string }[];
  parse: ParseOptions;
  manifest?: Manifest;
  namePattern?: string;
  receivedAt?: string;
  /** The id pseudonymiser's key: redaction happens in the worker, ids included. */
  secret: string;
  batchSize: number;
}

export type WorkerAnswer =
  | { type: 'batch'; conversations: Conversation[]; files: string[]; redactions: number; format: string }
  | { type: 'done'; issues: ParseIssue[]; warnings: ParseIssue[]; format: string }
  /** `refused`: the upload's fault (an AppError, e.g. bytes not in the declared charset): a 4xx. */
  | { type: 'error'; message: string; refused?: { status: number; code: string; details: ErrorDetail[] } };

/**
 * Built, the worker is parse-worker.js. From source (tests, tsx) a worker does not inherit tsx's
 * loader, so a small bootstrap registers it before importing parse-worker.ts.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./parse-worker.js', import.meta.url));
  const entry = JSON.stringify(new URL('./parse-worker.ts', import.meta.url).href);
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); });`,
    { eval: true },
  );
}

/**
 * Parses and redacts files in a worker thread, calling `onBatch` with each batch of redacted
 * conversations (the worker waits for it to resolve before sending the next). At most `parallel`
 * uploads are parsed at once; the others wait their turn, so large uploads cannot take every core
 * or multiply memory.
 */
export class OffThreadParser {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly parallel: number) {}

  async parse(
    job: ParseJob,
    onBatch: (batch: Extract<WorkerAnswer, { type: 'batch' }>) => Promise<void>,
  ): Promise<Extract<WorkerAnswer, { type: 'done' }>> {
    if (this.running >= this.parallel) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    const worker = startWorker();
    try {
      return await new Promise((resolve, reject) => {
        worker.on('error', reject);
        worker.on('exit', (code) => reject(new Error(`the parse worker stopped (exit code ${code})`)));
        worker.on('message', (answer: WorkerAnswer) => {
          if (answer.type === 'done') resolve(answer);
          else if (answer.type === 'error')
            reject(
              answer.refused
                ? new AppError(
                    answer.refused.status,
                    answer.refused.code,
                    answer.message,
                    answer.refused.details,
                  )
                : new Error(answer.message),
            );
          else
            onBatch(answer).then(
              () => worker.postMessage('ack'),
              (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
            );
        });
        worker.postMessage(
          job,
          job.files.map((f) => f.bytes),
        );
      });
    } finally {
      await worker.terminate();
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
