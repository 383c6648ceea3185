import fs from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { ParseFormatError, type FormatId } from '../ingest/formats/index.js';
import { manifestKey, parseManifest, type ManifestRow } from '../ingest/metadata/manifest.js';
import { parseMapping } from '../ingest/metadata/mapping.js';
import { compileNamePattern } from '../ingest/metadata/name-pattern.js';
import type { JobStatus } from '../queue/types.js';

export interface IngestOptions {
  input: string;
  url: string;
  key?: string;
  format?: FormatId;
  speakers?: string;
  startedAt?: string;
  /** CSV or JSON manifest: per file id, startedAt, channel, agentId, customerId, speakers */
  manifest?: string;
  /** e.g. "{date:yyyyMMdd}_{time:HHmmss}_{agentId}_{customerId}" */
  namePattern?: string;
  /** YAML saying which field of another chat export is the text, speaker, time, session */
  mapping?: string;
  wait: boolean;
}

interface UploadAnswer {
  accepted: number;
  jobs: { id: string; conversations: number }[];
  issues: { where?: string; message: string }[];
  warnings: { where?: string; message: string }[];
}

/** Small files go several to a request (the server takes up to MAX_FILES, default 20). */
const FILES_PER_REQUEST = 20;
const BYTES_PER_REQUEST = 8 * 1024 * 1024;

/** Native NDJSON files are sent in slices so any size fits under the server's body limit. */
const NDJSON_SLICE_BYTES = 4 * 1024 * 1024;

export async function runIngest(options: IngestOptions): Promise<void> {
  if (!options.key)
    throw new Error(
      'no API key: pass --key or set VOC_API_KEY (create one with `voc keys create --role ingest`)',
    );
  if (options.namePattern) compileNamePattern(options.namePattern); // a wrong pattern fails before any upload
  const manifest = options.manifest ? await readManifest(options.manifest) : undefined;
  const mapping = options.mapping ? await readMapping(options.mapping) : undefined;
  const skip = new Set([options.manifest, options.mapping].flatMap((f) => (f ? [path.resolve(f)] : [])));
  const files = (await listFiles(options.input)).filter((f) => !skip.has(path.resolve(f)));
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
  const warnings: string[] = [];
  let sentBytes = 0;
  for await (const request of requests(files, options.format)) {
    const answer = await upload(options, request, { manifest, mapping });
    accepted += answer.accepted;
    jobs.push(...answer.jobs);
    const label = (i: { where?: string; message: string }): string =>
      `${i.where ? `${i.where}: ` : `${request.label}: `}${i.message}`;
    issues.push(...answer.issues.map(label));
    warnings.push(...answer.warnings.map(label));
    sentBytes += request.parts.reduce((n, p) => n + p.body.length, 0);
    bar.update(Math.ceil(sentBytes / 1024), { file: request.label });
  }
  bar.stop();
  for (const warning of warnings) process.stderr.write(`warning ${warning}\n`);
  for (const issue of issues) process.stderr.write(`rejected ${issue}\n`);
  process.stderr.write(
    `${accepted} conversation(s) accepted in ${jobs.length} job(s), ${issues.length} rejected, ${warnings.length} warning(s)\n`,
  );
  if (options.wait && jobs.length > 0) await waitForJobs(options, jobs);
  if (issues.length > 0) process.exitCode = 1;
}

/** Read and checked here too, so a wrong mapping stops the upload before anything is sent. */
async function readMapping(file: string): Promise<Buffer> {
  const content = await fs.readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the mapping ${file}: ${err.code ?? err.message}`);
  });
  try {
    parseMapping(content, path.basename(file));
  } catch (err) {
    if (!(err instanceof ParseFormatError)) throw err;
    throw new Error(
      `the mapping is not usable, nothing was uploaded:\n${err.issues.map((i) => `  ${i.where}: ${i.message}`).join('\n')}`,
      { cause: err },
    );
  }
  return content;
}

/** Read and checked here, so a wrong row stops the upload before anything is sent. */
async function readManifest(file: string): Promise<Map<string, ManifestRow>> {
  const content = await fs.readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the manifest ${file}: ${err.code ?? err.message}`);
  });
  const manifest = parseManifest(content, path.basename(file));
  if (manifest.issues.length > 0) {
    throw new Error(
      `the manifest has ${manifest.issues.length} problem(s), nothing was uploaded:\n${manifest.issues.map((i) => `  ${i.where}: ${i.message}`).join('\n')}`,
    );
  }
  return manifest.rows;
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

interface Request {
  label: string;
  parts: Part[];
}

/** Files grouped into requests; a large NDJSON file goes alone, in slices. */
async function* requests(files: string[], format: FormatId | undefined): AsyncGenerator<Request> {
  let batch: Part[] = [];
  let bytes = 0;
  const flush = (): Request => {
    const request = {
      label: batch.length === 1 ? batch[0]!.label : `${batch[0]!.label} … ${batch.at(-1)!.label}`,
      parts: batch,
    };
    batch = [];
    bytes = 0;
    return request;
  };
  for (const file of files) {
    for await (const part of slices(file, format)) {
      if (part.label !== part.filename) {
        yield { label: part.label, parts: [part] };
        continue;
      }
      if (
        batch.length > 0 &&
        (batch.length >= FILES_PER_REQUEST || bytes + part.body.length > BYTES_PER_REQUEST)
      )
        yield flush();
      batch.push(part);
      bytes += part.body.length;
    }
  }
  if (batch.length > 0) yield flush();
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

async function upload(
  options: IngestOptions,
  request: Request,
  { manifest, mapping }: { manifest?: Map<string, ManifestRow>; mapping?: Buffer },
): Promise<UploadAnswer> {
  const params = new URLSearchParams();
  if (options.format) params.set('format', options.format);
  if (options.speakers) params.set('speakers', options.speakers);
  if (options.startedAt) params.set('startedAt', options.startedAt);
  if (options.namePattern) params.set('namePattern', options.namePattern);
  const form = new FormData();
  for (const part of request.parts) form.append('file', new Blob([new Uint8Array(part.body)]), part.filename);
  if (manifest) {
    // Only the rows of this request's files, as JSON: the server matches them by file name.
    const rows = request.parts.flatMap((p) => {
      const row = manifest.get(manifestKey(p.filename));
      if (!row) return [];
      const { file, id, startedAt, channel, agentId, customerId, speakers } = row;
      return [{ file, id, startedAt, channel, agentId, customerId, speakers }];
    });
    form.append('manifest', new Blob([JSON.stringify(rows)], { type: 'application/json' }), 'manifest.json');
  }
  if (mapping) form.append('mapping', new Blob([new Uint8Array(mapping)]), 'mapping.yaml');
  const response = await fetchOnce(`${options.url}/v1/conversations?${params}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.key}` },
    body: form,
  }).catch((err: Error) => {
    const cause = (err.cause as Error | undefined)?.message;
    throw new Error(
      `cannot reach ${options.url} (${err.message}${cause ? `: ${cause}` : ''}): is \`voc serve\` running?`,
    );
  });
  const answer = (await response.json().catch(() => ({}))) as Partial<UploadAnswer> & {
    error?: { message: string; details?: UploadAnswer['issues'] };
  };
  if (response.status === 400 && answer.error) {
    return {
      accepted: 0,
      jobs: [],
      issues: answer.error.details?.length ? answer.error.details : [{ message: answer.error.message }],
      warnings: [],
    };
  }
  if (!response.ok)
    throw new Error(`${request.label}: HTTP ${response.status}: ${answer.error?.message ?? 'no details'}`);
  return {
    accepted: answer.accepted ?? 0,
    jobs: answer.jobs ?? [],
    issues: answer.issues ?? [],
    warnings: answer.warnings ?? [],
  };
}

/**
 * fetch, tried a second time when the connection was reset: a server closing an idle keep-alive
 * connection just as the next request goes out resets it before the request was read. Sending an
 * upload twice is harmless (the later upload wins, with the same content).
 */
async function fetchOnce(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const code = ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    if (code !== 'ECONNRESET' && code !== 'UND_ERR_SOCKET') throw err;
    return fetch(url, init);
  }
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
      const response = await fetchOnce(`${options.url}/v1/jobs/${job.id}`, {
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
