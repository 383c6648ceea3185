/**
 * Worker-thread entry: parses and redacts the files of one large upload away from the API's event
 * loop, one file at a time, and hands the redacted conversations back in batches, waiting for each
 * batch to be queued before sending the next (so at most one batch is in flight).
 */
import { parentPort } from 'node:worker_threads';
import type { Conversation } from '../domain/conversation.js';
import { AppError } from '../errors.js';
import { redactConversation } from '../pipeline/redact/index.js';
import { createIdPseudonymiser } from './id-pseudonymiser.js';
import { compileNamePattern } from './metadata/name-pattern.js';
import type { ParseIssue } from './formats/index.js';
import { parseUploadedFiles, type FileUploadOptions } from './upload-files.js';
import type { ParseJob, WorkerAnswer } from './parse-off-thread.js';

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs as a worker thread');

let acked: (() => void) | undefined;
port.on('message', (message: ParseJob | 'ack') => {
  if (message === 'ack') {
    acked?.();
    return;
  }
  run(message).catch((err: unknown) =>
    port.postMessage({
      type: 'error',
      message: err instanceof Error ? err.message : String(err),
      ...(err instanceof AppError
        ? { refused: { status: err.status, code: err.code, details: err.details } }
        : {}),
    } satisfies WorkerAnswer),
  );
});

async function run(job: ParseJob): Promise<void> {
  const pseudonymiseId = createIdPseudonymiser(job.secret);
  const options: FileUploadOptions = {
    parse: job.parse,
    ...(job.manifest ? { manifest: { ...job.manifest, issues: [] } } : {}),
    ...(job.namePattern
      ? { names: { read: compileNamePattern(job.namePattern), pattern: job.namePattern } }
      : {}),
    ...(job.receivedAt ? { receivedAt: job.receivedAt } : {}),
  };
  const issues: ParseIssue[] = [];
  const warnings: ParseIssue[] = [];
  const formats = new Set<string>();
  let batch: Conversation[] = [];
  let files: string[] = [];
  let batchFormats = new Set<string>();
  let redactions = 0;
  const send = async (): Promise<void> => {
    if (batch.length === 0) return;
    const format = [...batchFormats].join(',');
    const answer: WorkerAnswer = { type: 'batch', conversations: batch, files, redactions, format };
    batch = [];
    files = [];
    batchFormats = new Set();
    redactions = 0;
    await new Promise<void>((resolve) => {
      acked = resolve;
      port!.postMessage(answer);
    });
  };
  for (let i = 0; i < job.files.length; i++) {
    const file = job.files[i]!;
    job.files[i] = { name: file.name, bytes: new ArrayBuffer(0) }; // let the bytes go once parsed
    const content = Buffer.from(file.bytes);
    const parsed = parseUploadedFiles(
      [{ name: file.name, content, ...(file.contentType ? { contentType: file.contentType } : {}) }],
      options,
    );
    parsed.format.split(',').forEach((f) => f !== 'unknown' && formats.add(f));
    issues.push(...parsed.issues);
    warnings.push(...parsed.warnings);
    for (const original of parsed.conversations) {
      const { conversation, found } = redactConversation(original, { pseudonymiseId });
      batch.push(conversation);
      batchFormats.add(parsed.format);
      files.push(parsed.fileOf.get(original) ?? file.name);
      redactions += found;
      if (batch.length >= job.batchSize) await send();
    }
  }
  await send();
  port!.postMessage({
    type: 'done',
    issues,
    warnings,
    format: [...formats].join(',') || 'unknown',
  } satisfies WorkerAnswer);
}
