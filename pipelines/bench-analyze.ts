/**
 * Single-core throughput of the whole analysis stage (normalise -> segment -> analyse, what
 * `Pipeline.process` does) against raw nodejieba segmentation of the same text, in the same run.
 * Rounds alternate between the two and the best round of each counts, so a busy machine skews both
 * alike. `npm run bench:analyze` runs the tsc build of this file (what production runs); running it
 * through tsx works too but measures tsx's module interop as well (slower).
 * Usage: npm run bench:analyze [-- --rounds 10] [--input conversations.jsonl]
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Conversation } from '../src/domain/conversation.js';
import { createPipeline } from '../src/pipeline/run-pipeline.js';
import { jiebaCut } from '../src/pipeline/segment/jieba.js';
import { CORPUS_HOME_INSTITUTION } from './corpus/home.js';

// npm runs scripts from the package root; the compiled copy lives elsewhere
const ROOT = process.cwd();

function readJsonl(file: string): unknown[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as unknown);
}

/** The labelled corpus (default) or any JSONL of native conversations (--input FILE). */
function loadConversations(input: string | undefined): Conversation[] {
  if (input) return readJsonl(input) as Conversation[];
  return ['train', 'dev'].flatMap((split) =>
    readJsonl(join(ROOT, 'pipelines/corpus', `${split}.jsonl`)).map(
      (item) => (item as { conversation: Conversation }).conversation,
    ),
  );
}

function seconds(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function main(): void {
  const option = (name: string): string | undefined => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  const rounds = Number(option('--rounds') ?? 10);
  const conversations = loadConversations(option('--input'));
  const texts = conversations.flatMap((c) => c.utterances.map((u) => u.text));
  const bytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t, 'utf8'), 0);
  const pipeline = createPipeline({
    modelsDir: join(ROOT, 'models'),
    homeInstitution: CORPUS_HOME_INSTITUTION,
  });

  let sink = 0;
  const raw = (): void => {
    for (const t of texts) sink += jiebaCut(t).length;
  };
  const full = (): void => {
    for (const c of conversations) sink += pipeline.process(c).tokens.length;
  };
  raw();
  full(); // warm-up
  let bestRaw = Infinity;
  let bestFull = Infinity;
  for (let r = 0; r < rounds; r++) {
    bestRaw = Math.min(bestRaw, seconds(raw));
    bestFull = Math.min(bestFull, seconds(full));
  }
  const row = (name: string, s: number): string =>
    `${name.padEnd(30)} ${(texts.length / s).toFixed(0).padStart(8)} utterances/s ${(bytes / s / 1e6).toFixed(2).padStart(6)} MB/s`;
  console.log(
    `text: ${conversations.length} conversations, ${texts.length} utterances, ${(bytes / 1e6).toFixed(2)} MB UTF-8; best of ${rounds} rounds`,
  );
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores, 1 used), node ${process.version}`,
  );
  console.log(row('raw nodejieba cut (HMM on)', bestRaw));
  console.log(row('full analysis (process)', bestFull));
  console.log(`ratio full / raw: ${(bestRaw / bestFull).toFixed(2)} (target >= 0.5)`);
  if (sink < 0) console.log(sink);
}

main();
