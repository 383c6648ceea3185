import { randomUUID } from 'node:crypto';
import type { Conversation } from '../domain/conversation.js';
import { NotFoundError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { redactConversation, redactText } from '../pipeline/redact/index.js';
import { ingestJobId } from '../queue/jobs.js';
import type { IngestJobData, JobQueue, JobState, JobStatus, QueueDepth } from '../queue/types.js';
import type { ParseIssue } from './formats/index.js';
import { OffThreadParser } from './parse-off-thread.js';
import { parseUploadedFiles, type FileUploadOptions, type UploadedFile } from './upload-files.js';

export { JOB_STATES, type JobState, type JobStatus } from '../queue/types.js';

export interface AcceptedBatch {
  /** One job per batch of at most `batchSize` conversations. */
  jobs: { id: string; conversations: number }[];
  accepted: number;
  /** Personal numbers masked before anything was stored or queued. */
  redactions: number;
  /** Conversations stored with the time received, as nothing gave a start time (ids as stored). */
  undated: { id: string; file?: string; startedAt: string }[];
}

/**
 * Accepts parsed conversations: redacts them (nothing unredacted leaves this function), then
 * hands them to the queue in batches. The queue write is the durable acknowledgement: when this
 * resolves, the conversations survive a crash of this process.
 */
export class IngestService {
  constructor(
    private readonly queue: JobQueue,
    private readonly batchSize: number,
    private readonly logger: Logger,
    private readonly pseudonymiseId: (original: string, masked: string) => string,
    /** The pseudonymiser's key, for uploads redacted in a worker thread; without it all run inline. */
    private readonly idSecret?: string,
    private readonly offThread = new OffThreadParser(2),
  ) {}

  /** `fileOf` names the (already masked) file a conversation came from, for the `undated` list. */
  async accept(
    conversations: Conversation[],
    source: IngestJobData['source'],
    fileOf?: (original: Conversation) => string | undefined,
  ): Promise<AcceptedBatch> {
    // Within one upload the later version of a conversation id wins, as it does across uploads.
    const byId = new Map<string, Conversation>();
    const files = new Map<string, string | undefined>();
    let redactions = 0;
    for (const original of conversations) {
      const { conversation, found } = redactConversation(original, { pseudonymiseId: this.pseudonymiseId });
      redactions += found;
      byId.delete(conversation.id);
      byId.set(conversation.id, conversation);
      files.set(conversation.id, fileOf?.(original));
    }
    const unique = [...byId.values()];
    const undated = unique
      .filter((c) => c.startedAtSource === 'received')
      .map((c) => {
        const file = files.get(c.id);
        return { id: c.id, ...(file !== undefined ? { file } : {}), startedAt: c.startedAt };
      });
    source = this.maskFileNames(source);
    const jobs: AcceptedBatch['jobs'] = [];
    const uploadId = randomUUID();
    for (let i = 0; i < unique.length; i += this.batchSize) {
      jobs.push(await this.enqueue(unique.slice(i, i + this.batchSize), source, uploadId));
    }
    this.logger.info(
      {
        format: source.format,
        accepted: unique.length,
        jobs: jobs.length,
        redactions,
        undated: undated.length,
      },
      'conversations accepted',
    );
    return { jobs, accepted: unique.length, redactions, undated };
  }

  /**
   * Parses uploaded files with their facts and accepts what they hold. An upload over
   * OFF_THREAD_BYTES is parsed and redacted in a worker thread, file by file, and queued batch by
   * batch as the worker hands them over, so the API keeps answering and holds at most one batch of
   * conversations besides the upload's bytes.
   */
  async acceptFiles(
    files: UploadedFile[],
    options: FileUploadOptions,
    label?: string,
  ): Promise<AcceptedFiles> {
    const bytes = files.reduce(
      (n, f) => n + (typeof f.content === 'string' ? f.content.length * 3 : f.content.length),
      0,
    );
    if (bytes <= OFF_THREAD_BYTES || !this.idSecret) {
      const parsed = parseUploadedFiles(files, options);
      if (parsed.conversations.length === 0)
        return { ...EMPTY, issues: parsed.issues, warnings: parsed.warnings, format: parsed.format };
      const accepted = await this.accept(
        parsed.conversations,
        { format: parsed.format, ...(label !== undefined ? { file: label } : {}) },
        (c) => parsed.fileOf.get(c),
      );
      return { ...accepted, issues: parsed.issues, warnings: parsed.warnings, format: parsed.format };
    }
    return this.acceptOffThread(files, options, label);
  }

  private async acceptOffThread(
    files: UploadedFile[],
    options: FileUploadOptions,
    label: string | undefined,
  ): Promise<AcceptedFiles> {
    const uploadId = randomUUID();
    const source = this.maskFileNames({ format: 'unknown', ...(label !== undefined ? { file: label } : {}) });
    const out: AcceptedFiles = { ...EMPTY, jobs: [], undated: [] };
    const ids = new Set<string>();
    const done = await this.offThread.parse(
      {
        files: files.map((f) => ({
          name: f.name,
          bytes: ownBytes(f.content),
          ...(f.contentType !== undefined ? { contentType: f.contentType } : {}),
        })),
        parse: options.parse,
        ...(options.manifest ? { manifest: options.manifest } : {}),
        ...(options.names ? { namePattern: options.names.pattern } : {}),
        ...(options.receivedAt ? { receivedAt: options.receivedAt } : {}),
        secret: this.idSecret!,
        batchSize: this.batchSize,
      },
      async (batch) => {
        out.jobs.push(await this.enqueue(batch.conversations, { ...source, format: batch.format }, uploadId));
        out.redactions += batch.redactions;
        batch.conversations.forEach((c, i) => {
          ids.add(c.id);
          const file = batch.files[i];
          if (c.startedAtSource === 'received')
            out.undated.push({ id: c.id, ...(file !== undefined ? { file } : {}), startedAt: c.startedAt });
        });
      },
    );
    out.accepted = ids.size;
    this.logger.info(
      {
        format: done.format,
        accepted: out.accepted,
        jobs: out.jobs.length,
        redactions: out.redactions,
        offThread: true,
      },
      'conversations accepted',
    );
    return {
      ...out,
      issues: [...(options.manifest?.issues ?? []), ...done.issues],
      warnings: done.warnings,
      format: done.format,
    };
  }

  /** An upload's job: state, progress, attempts and failure reason; NotFoundError for an unknown id. */
  async job(id: string): Promise<JobStatus> {
    const job = await this.queue.getJob(id);
    if (!job) throw new NotFoundError(`Job ${id}`);
    return job;
  }

  /** Upload jobs in a state, newest first (state failed: the dead letters), and the queue depth. */
  async jobs(state: JobState, limit: number): Promise<{ jobs: JobStatus[]; depth: QueueDepth }> {
    const [jobs, depth] = await Promise.all([this.queue.listJobs(state, limit), this.queue.depth()]);
    return { jobs, depth };
  }

  /** The upload's file names are stored with the job and shown by GET /v1/jobs/:id. */
  private maskFileNames(source: IngestJobData['source']): IngestJobData['source'] {
    return source.file === undefined ? source : { ...source, file: redactText(source.file).text };
  }

  private async enqueue(
    batch: Conversation[],
    source: IngestJobData['source'],
    uploadId: string,
  ): Promise<{ id: string; conversations: number }> {
    const id = ingestJobId(batch, uploadId);
    // Claimed before the job exists: an earlier job still running skips these conversations.
    const uploadSeq = await this.queue.claimLatest(
      id,
      batch.map((c) => c.id),
    );
    await this.queue.enqueueIngest(id, { conversations: batch, source, uploadSeq });
    return { id, conversations: batch.length };
  }
}

/** Uploads larger than this are parsed in a worker thread (smaller ones take a few milliseconds). */
export const OFF_THREAD_BYTES = 1024 * 1024;

export interface AcceptedFiles extends AcceptedBatch {
  issues: ParseIssue[];
  warnings: ParseIssue[];
  format: string;
}

const EMPTY: AcceptedFiles = {
  jobs: [],
  accepted: 0,
  redactions: 0,
  undated: [],
  issues: [],
  warnings: [],
  format: 'unknown',
};

/** Bytes the worker may own: a Buffer from the shared pool is copied, a whole one handed over. */
function ownBytes(content: Buffer | string): ArrayBuffer {
  const buffer = typeof content === 'string' ? Buffer.from(content) : content;
  if (
    buffer.byteOffset === 0 &&
    buffer.byteLength === buffer.buffer.byteLength &&
    buffer.buffer instanceof ArrayBuffer
  )
    return buffer.buffer;
  const copy = new ArrayBuffer(buffer.byteLength);
  new Uint8Array(copy).set(buffer);
  return copy;
}
