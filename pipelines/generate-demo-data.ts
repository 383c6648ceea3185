/**
 * Writes demo conversations as NDJSON (one native conversation per line) to stdout or a file.
 *
 *   npx tsx pipelines/generate-demo-data.ts --count 1000 --seed 42 [--out file.jsonl]
 *     [--from 2026-05-01] [--to 2026-11-01] [--customers N] [--agents N] [--channels call,chat]
 */
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Channel } from '../src/domain/conversation.js';
import { generateConversations, type DemoOptions } from './demo-data/generate.js';

const USAGE =
  'usage: generate-demo-data --count N [--seed N] [--from DATE] [--to DATE] [--customers N] [--agents N] [--channels call,chat] [--out FILE]';
/** Lines are joined into chunks of about this size: one write per conversation is far slower. */
const CHUNK_CHARS = 1 << 20;

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new Error(`--${name} must be an integer, got ${value}`);
  return Number(value);
}

export function parseCli(argv: string[]): { options: DemoOptions; out?: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string' },
      seed: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      customers: { type: 'string' },
      agents: { type: 'string' },
      channels: { type: 'string' },
      out: { type: 'string', short: 'o' },
    },
    strict: true,
  });
  const count = integer('count', values.count);
  if (count === undefined) throw new Error('--count is required');
  const channels = values.channels?.split(',').map((c) => c.trim());
  if (channels?.some((c) => c !== 'call' && c !== 'chat'))
    throw new Error('--channels takes call, chat or call,chat');
  const options: DemoOptions = { count };
  const seed = integer('seed', values.seed);
  const customers = integer('customers', values.customers);
  const agents = integer('agents', values.agents);
  if (seed !== undefined) options.seed = seed;
  if (customers !== undefined) options.customers = customers;
  if (agents !== undefined) options.agents = agents;
  if (values.from) options.from = values.from;
  if (values.to) options.to = values.to;
  if (channels) options.channels = channels as Channel[];
  return values.out ? { options, out: values.out } : { options };
}

function write(stream: Writable, chunk: string): Promise<void> {
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((done, fail) => {
    const onError = (error: Error) => fail(error);
    stream.once('error', onError);
    stream.once('drain', () => {
      stream.off('error', onError);
      done();
    });
  });
}

export async function writeNdjson(options: DemoOptions, stream: Writable): Promise<number> {
  let chunk = '';
  let written = 0;
  for (const conversation of generateConversations(options)) {
    chunk += JSON.stringify(conversation) + '\n';
    written++;
    if (chunk.length >= CHUNK_CHARS) {
      await write(stream, chunk);
      chunk = '';
    }
  }
  if (chunk.length > 0) await write(stream, chunk);
  return written;
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const stream = parsed.out ? createWriteStream(parsed.out) : process.stdout;
  // A closed pipe (`| head`) is a normal way to stop reading, not an error.
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.stderr.write(`${error.message}\n`);
    process.exit(error.code === 'EPIPE' ? 0 : 1);
  });
  const started = performance.now();
  const written = await writeNdjson(parsed.options, stream);
  if (parsed.out) await new Promise<void>((done) => stream.end(done));
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `${written} conversations in ${seconds.toFixed(1)} s (${Math.round(written / seconds)}/s)\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
