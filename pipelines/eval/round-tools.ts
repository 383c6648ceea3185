/**
 * Tools for a sealed round (pipelines/eval/round-N/), run without anyone reading the items:
 *
 *   tsx pipelines/eval/round-tools.ts strip DIR      writer-*.jsonl → texts-*.jsonl (no labels) for the second labeler
 *   tsx pipelines/eval/round-tools.ts agree DIR      agreement of labels-b-* with writer-* (numbers only) → AGREEMENT.md
 *   tsx pipelines/eval/round-tools.ts disputes DIR   items whose two label sets differ → disputes-*.jsonl for an adjudicator
 *   tsx pipelines/eval/round-tools.ts gold DIR       writer labels where both agree, resolved-*.jsonl where not → gold-*.jsonl
 *
 * Labeler A is the writer (labels written with the item), labeler B labels texts-*.jsonl blind and
 * writes labels-b-*.jsonl lines {id, expected, evidence}. An adjudicator, who sees both, writes
 * resolved-*.jsonl lines {id, expected, evidence} for every disputed id.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIMENSIONS, labelsOf, Score } from '../evaluation/metrics.js';
import type { Expected } from '../corpus/types.js';

type Json = Record<string, unknown>;
interface Labels {
  id: string;
  expected: Expected & { sentiment?: string };
  evidence?: Record<string, number[]>;
}

const [command, dir] = process.argv.slice(2);
if (!command || !dir) {
  console.error('usage: round-tools.ts strip|agree|disputes|gold <round directory>');
  process.exit(2);
}

const readLines = (file: string): Json[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as Json;
      } catch (err) {
        throw new Error(`${file}:${i + 1}: not JSON (${(err as Error).message})`, { cause: err });
      }
    });
const files = (prefix: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.jsonl'))
    .sort();
const idOf = (item: Json): string => String((item.conversation as Json | undefined)?.id ?? item.id);
const suffix = (file: string, prefix: string): string => file.slice(prefix.length);

function writerItems(): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const f of files('writer-')) for (const item of readLines(join(dir!, f))) out.set(idOf(item), item);
  return out;
}
function labelsB(): Map<string, Labels> {
  const out = new Map<string, Labels>();
  for (const f of files('labels-b-'))
    for (const l of readLines(join(dir!, f))) out.set(idOf(l), l as unknown as Labels);
  return out;
}
const tone = (e: Labels['expected']): string => e.sentiment ?? 'neutral';

function differs(a: Labels['expected'], b: Labels['expected']): boolean {
  return (
    DIMENSIONS.some((d) => labelsOf(d, a).sort().join() !== labelsOf(d, b).sort().join()) ||
    tone(a) !== tone(b)
  );
}

switch (command) {
  case 'strip': {
    for (const f of files('writer-')) {
      const out = readLines(join(dir, f)).map((item) =>
        JSON.stringify({ ...(item.kind ? { kind: item.kind } : {}), conversation: item.conversation }),
      );
      writeFileSync(join(dir, `texts-${suffix(f, 'writer-')}`), `${out.join('\n')}\n`);
    }
    console.log(`stripped ${files('writer-').length} files`);
    break;
  }
  case 'agree': {
    const a = writerItems();
    const b = labelsB();
    const scores = Object.fromEntries(DIMENSIONS.map((d) => [d, new Score()]));
    let same = 0;
    let toneSame = 0;
    let compared = 0;
    for (const [id, item] of a) {
      const lb = b.get(id);
      if (!lb) continue;
      compared++;
      const ea = item.expected as Labels['expected'];
      if (!differs(ea, lb.expected)) same++;
      if (tone(ea) === tone(lb.expected)) toneSame++;
      for (const d of DIMENSIONS) {
        const want = new Set(labelsOf(d, ea));
        const got = new Set(labelsOf(d, lb.expected));
        for (const l of got) {
          if (want.has(l)) scores[d]!.tp++;
          else scores[d]!.fp++;
        }
        for (const l of want) if (!got.has(l)) scores[d]!.fn++;
      }
    }
    const lines = [
      '# Agreement between the two blind labelers',
      '',
      `${compared} of ${a.size} items labelled by both (A: the writer, B: a second labeler who saw only the text).`,
      `Identical on every dimension and tone: ${same} (${((100 * same) / Math.max(compared, 1)).toFixed(1)} %). Same tone: ${toneSame}.`,
      '',
      'F1 of B against A, per dimension (micro over item × label; symmetric):',
      '',
      '| dimension | F1 | labels A | labels B |',
      '|---|---|---|---|',
      ...DIMENSIONS.map((d) => {
        const s = scores[d]!;
        return `| ${d} | ${s.f1.toFixed(3)} | ${s.tp + s.fn} | ${s.tp + s.fp} |`;
      }),
      '',
    ];
    writeFileSync(join(dir, 'AGREEMENT.md'), lines.join('\n'));
    console.log(lines.join('\n'));
    break;
  }
  case 'disputes': {
    const a = writerItems();
    const b = labelsB();
    let n = 0;
    for (const f of files('writer-')) {
      const out: string[] = [];
      for (const item of readLines(join(dir, f))) {
        const lb = b.get(idOf(item));
        if (!lb || !differs(item.expected as Labels['expected'], lb.expected)) continue;
        out.push(
          JSON.stringify({
            ...(item.kind ? { kind: item.kind } : {}),
            conversation: item.conversation,
            labelerA: { expected: item.expected, evidence: item.evidence ?? {} },
            labelerB: { expected: lb.expected, evidence: lb.evidence ?? {} },
          }),
        );
      }
      n += out.length;
      if (out.length > 0) writeFileSync(join(dir, `disputes-${suffix(f, 'writer-')}`), `${out.join('\n')}\n`);
    }
    console.log(`${n} disputed items of ${a.size}`);
    break;
  }
  case 'gold': {
    const b = labelsB();
    const resolved = new Map<string, Labels>();
    for (const f of files('resolved-'))
      for (const l of readLines(join(dir, f))) resolved.set(idOf(l), l as unknown as Labels);
    let fromA = 0;
    let fromResolution = 0;
    const missing: string[] = [];
    for (const f of files('writer-')) {
      const out: string[] = [];
      for (const item of readLines(join(dir, f))) {
        const id = idOf(item);
        const lb = b.get(id);
        const agreed = lb && !differs(item.expected as Labels['expected'], lb.expected);
        const r = resolved.get(id);
        if (r) {
          fromResolution++;
          out.push(JSON.stringify({ ...item, expected: r.expected, evidence: r.evidence ?? item.evidence }));
        } else if (agreed) {
          fromA++;
          out.push(JSON.stringify(item));
        } else missing.push(id);
      }
      writeFileSync(join(dir, `gold-${suffix(f, 'writer-')}`), `${out.join('\n')}\n`);
    }
    console.log(`gold: ${fromA} agreed, ${fromResolution} adjudicated, ${missing.length} without a decision`);
    if (missing.length > 0) {
      console.log(`no gold for: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ' …' : ''}`);
      if (!existsSync(join(dir, 'resolved-partial.ok'))) process.exitCode = 1;
    }
    break;
  }
  default:
    console.error(`unknown command ${command}`);
    process.exit(2);
}
