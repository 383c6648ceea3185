/**
 * Builds the labelled corpus pipelines/corpus/{train,dev}.jsonl from hand-written phrase banks.
 * Dev conversations use phrasings (and some names) that train never uses, so the dev score measures
 * how well the engine generalises. Usage: npx tsx pipelines/corpus/build-corpus.ts [--train N] [--dev N]
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Conversation, Utterance } from '../../src/domain/conversation.js';
import { asAsr, asChat, asFullWidth, asTraditional, createRandom, mergeExpected, pick } from './compose.js';
import { AGENT_LINES } from './banks/misc.js';
import { SCENARIOS, type Turn } from './scenarios.js';
import type { Expected, Split } from './types.js';

export interface CorpusItem {
  conversation: Conversation;
  expected: Expected;
}

const TOTAL_WEIGHT = SCENARIOS.reduce((sum, [, w]) => sum + w, 0);

function drawScenario(random: () => number): Turn[] {
  let r = random() * TOTAL_WEIGHT;
  for (const [scenario, weight] of SCENARIOS) {
    r -= weight;
    if (r <= 0) return scenario(random, currentSplit);
  }
  return [];
}
let currentSplit: Split = 'train';

function conflicting(e: Expected): boolean {
  return e.needs.some((n) => e.declinedNeeds.includes(n));
}

function buildItem(random: () => number, split: Split, index: number): CorpusItem | null {
  currentSplit = split;
  const turns: Turn[] = [];
  if (random() < 0.45)
    turns.push({ speaker: 'agent', text: pick(random, AGENT_LINES[split].slice(0, 3)), labels: {} });
  const parts = random() < 0.55 ? 1 : random() < 0.75 ? 2 : 3;
  for (let p = 0; p < parts; p++) {
    if (p > 0 && random() < 0.4)
      turns.push({ speaker: 'agent', text: pick(random, AGENT_LINES[split]), labels: {} });
    turns.push(...drawScenario(random));
  }
  if (turns.length > 6 || turns.every((t) => t.speaker !== 'customer')) return null;
  const expected = mergeExpected(turns.map((t) => t.labels));
  if (conflicting(expected)) return null;

  const channel = random() < 0.6 ? 'call' : 'chat';
  let texts = turns.map((t) => {
    if (channel === 'call') return random() < 0.85 ? asAsr(random, t.text) : t.text;
    return asChat(random, t.text, t.angry ?? false) + (t.angry && random() < 0.5 ? '！！' : '');
  });
  if (random() < 0.13) texts = asTraditional(random, texts);
  if (random() < 0.08) texts = texts.map(asFullWidth);
  const utterances: Utterance[] = turns.map((t, i) => ({ speaker: t.speaker, text: texts[i] ?? t.text }));
  const conversation: Conversation = {
    id: `${split}-${String(index).padStart(5, '0')}`,
    channel,
    startedAt: new Date(Date.UTC(2026, 9, 1) + index * 3_600_000 + 8 * 3_600_000)
      .toISOString()
      .replace(/\.\d+Z$/, '+08:00'),
    utterances,
  };
  return { conversation, expected };
}

export function buildSplit(split: Split, size: number, seed: number, exclude: Set<string>): CorpusItem[] {
  const random = createRandom(seed);
  const items: CorpusItem[] = [];
  const seen = new Set<string>(exclude);
  let attempts = 0;
  while (items.length < size && attempts++ < size * 50) {
    const item = buildItem(random, split, items.length);
    if (!item) continue;
    const key = item.conversation.utterances.map((u) => `${u.speaker}:${u.text}`).join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    items.push(item);
  }
  return items;
}

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) ? value : fallback;
}

function main(): void {
  const dir = dirname(fileURLToPath(import.meta.url));
  const train = buildSplit('train', arg('--train', 1500), 20261101, new Set());
  const trainKeys = new Set(
    train.map((i) => i.conversation.utterances.map((u) => `${u.speaker}:${u.text}`).join('|')),
  );
  const dev = buildSplit('dev', arg('--dev', 500), 20261102, trainKeys);
  const write = (name: string, items: CorpusItem[]): void =>
    writeFileSync(join(dir, name), items.map((i) => JSON.stringify(i)).join('\n') + '\n');
  write('train.jsonl', train);
  write('dev.jsonl', dev);
  console.log(`train: ${train.length} items, dev: ${dev.length} items`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
