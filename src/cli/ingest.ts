import fs from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { FormatId } from '../ingest/formats/index.js';
import type { JobStatus } from '../queue/types.js';

export interface IngestOptions {
  input: string;
  url: string;
  key?: string;
  format?: FormatId;
  speakers?: string;
  startedAt?: string;
  wait: boolean;
}

interface UploadAnswer {
  accepted: number;
  jobs: { id: string; conversations: number }[];
  issues: { where?: string; message: string }[];
}

/** Native NDJSON files are sent in slices so any size fits under the server's body limit. */
const NDJSON_SLICE_BYTES = 4 * 1024 * 1024;

export async function runIngest(options: IngestOptions): Promise<void> {
  if (!options.key)
    throw new Error(
      'no API key: pass --key or set VOC_API_KEY (create one with `voc keys create --role ingest`)',
    );
  const files = await listFiles(options.input);
  if (files.length === 0) throw new Error(`no files under ${options.input}`);
  const sizes = await Promise.all(files.map(async (f) => (await fs.stat(f)).size));
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const bar = new cliProgress.SingleBar(
    { format: 'upload  [{bar}] {percentage}% | {value}/{total} KB | {file}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.ceil(totalBytes / 1024), 0, { file: '' });
  const jobs: UploadAnswer['jobs'] = [];
  let accepted = 0;
  const issues: string[] = [];
  let sentBytes = 0;
  for (const file of files) {
    for await (const part of slices(file, options.format)) {
      const answer = await upload(options, part);
      accepted += answer.accepted;
      jobs.push(...answer.jobs);
      issues.push(...answer.issues.map((i) => `${part.label}: ${i.where ? `${i.where}: ` : ''}${i.message}`));
      sentBytes += part.body.length;
      bar.update(Math.ceil(sentBytes / 1024), { file: path.basename(file) });
    }
  }
  bar.stop();
  for (const issue of issues) process.stderr.write(`rejected ${issue}\n`);
  process.stderr.write(
    `${accepted} conversation(s) accepted in ${jobs.length} job(s), ${issues.length} rejected\n`,
  );
  if (options.wait && jobs.length > 0) await waitForJobs(options, jobs);
  if (issues.length > 0) process.exitCode = 1;
}

async function listFiles(input: string): Promise<string[]> {
  const stat = await fs.stat(input).catch(() => undefined);
  if (!stat) throw new Error(`${input} does not exist`);
  if (stat.isFile()) return [input];
  const entries = await fs.readdir(input, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

interface Part {
  label: string;
  body: Buffer;
  filename: string;
}

async function* slices(file: string, format: FormatId | undefined): AsyncGenerator<Part> {
  const content = await fs.readFile(file);
  const filename = path.basename(file);
  const isNdjson = format === 'native-ndjson' || (!format && /\.(ndjson|jsonl)$/i.test(file));
  if (!isNdjson || content.length <= NDJSON_SLICE_BYTES) {
    yield { label: filename, body: content, filename };
    return;
  }
  const lines = content.toString('utf8').split('\n');
  let start = 0;
  while (start < lines.length) {
    let end = start;
    let bytes = 0;
    while (
      end < lines.length &&
      (end === start || bytes + (lines[end]?.length ?? 0) * 3 < NDJSON_SLICE_BYTES)
    ) {
      bytes += Buffer.byteLength(lines[end] ?? '') + 1;
      end++;
    }
    const slice = lines.slice(start, end).join('\n');
    if (slice.trim() !== '') {
      yield { label: `${filename} lines ${start + 1}-${end}`, body: Buffer.from(slice), filename };
    }
    start = end;
  }
}

async function upload(options: IngestOptions, part: Part): Promise<UploadAnswer> {
  const params = new URLSearchParams();
  if (options.format) params.set('format', options.format);
  if (options.speakers) params.set('speakers', options.speakers);
  if (options.startedAt) params.set('startedAt', options.startedAt);
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(part.body)]), part.filename);
  const response = await fetch(`${options.url}/v1/conversations?${params}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.key}` },
    body: form,
  }).catch((err: Error) => {
    throw new Error(`cannot reach ${options.url} (${err.message}): is \`voc serve\` running?`);
  });
  const answer = (await response.json().catch(() => ({}))) as Partial<UploadAnswer> & {
    error?: { message: string; details?: UploadAnswer['issues'] };
  };
  if (response.status === 400 && answer.error) {
    return {
      accepted: 0,
      jobs: [],
      issues: answer.error.details?.length ? answer.error.details : [{ message: answer.error.message }],
    };
  }
  if (!response.ok)
    throw new Error(`${part.label}: HTTP ${response.status}: ${answer.error?.message ?? 'no details'}`);
  return { accepted: answer.accepted ?? 0, jobs: answer.jobs ?? [], issues: answer.issues ?? [] };
}

async function waitForJobs(options: IngestOptions, jobs: UploadAnswer['jobs']): Promise<void> {
  const total = jobs.reduce((n, j) => n + j.conversations, 0);
  const bar = new cliProgress.SingleBar(
    {
      format: 'index   [{bar}] {percentage}% | {value}/{total} conversations | {failed} failed job(s)',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { failed: 0 });
  const pending = new Map(jobs.map((j) => [j.id, j]));
  const failed: JobStatus[] = [];
  let done = 0;
  while (pending.size > 0) {
    let inProgress = 0;
    for (const job of [...pending.values()]) {
      const response = await fetch(`${options.url}/v1/jobs/${job.id}`, {
        headers: { authorization: `Bearer ${options.key}` },
      });
      if (!response.ok) continue;
      const status = (await response.json()) as JobStatus;
      if (status.state === 'completed' || status.state === 'failed') {
        pending.delete(job.id);
        done += job.conversations;
        if (status.state === 'failed') failed.push(status);
      } else {
        inProgress += Math.round((status.progress / 100) * job.conversations);
      }
    }
    bar.update(done + inProgress, { failed: failed.length });
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 500));
  }
  bar.stop();
  for (const job of failed)
    process.stderr.write(`job ${job.id} failed: ${job.failedReason ?? 'unknown reason'}\n`);
  if (failed.length > 0) process.exitCode = 1;
}
