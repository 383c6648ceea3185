/**
 * What the API's event loop was doing when it stalled: `npm run bench:upload -- --single --stalls DIR`
 * runs the service with `--cpu-prof` and has it time its own stalls (a 10 ms timer that fired 90 ms
 * or more late, bench-upload-server.ts); this file then reads the main thread's profile and sorts
 * the samples inside each stall by the part of the code on their stack. A sample that follows a long
 * gap was blocked outside JavaScript (an fsync, a lock) or descheduled by the OS.
 */
import fs from 'node:fs';
import path from 'node:path';

interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Stalls listed one by one (all are counted). */
const SHOWN = 10;

/** Stall windows as [start µs, end µs, length ms] on the clock of the CPU profile (monotonic). */
export type Stall = [number, number, number];

const PARTS: [string, RegExp][] = [
  ['conversation store write', /sqlite-conversation-store|conversation-writes|write-thread/],
  ['embedded queue (SQLite, synchronous=FULL)', /sqlite-job-queue/],
  ['upload parsing hand-over', /ingest-service|parse-off-thread/],
  ['upload receipt (multer)', /multer|busboy/],
  ['analysis IPC', /analysis-pool|child_process/],
  ['module loading', /cjs\/loader|esm\//],
];

function part(frames: { functionName: string; url: string }[]): string {
  for (const f of frames) {
    if (f.functionName === '(garbage collector)') return 'garbage collection';
    if (f.functionName === '(idle)') return 'idle (timer late: the process was not running)';
    const found = PARTS.find(([, re]) => re.test(f.url));
    if (found) return found[0];
  }
  return 'other';
}

export function attributeStalls(profileFile: string, stalls: Stall[]): string {
  const p = JSON.parse(fs.readFileSync(profileFile, 'utf8')) as Profile;
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const partOf = new Map<number, string>();
  const partOfNode = (id: number): string => {
    let known = partOf.get(id);
    if (known === undefined) {
      const frames = [];
      for (let x: number | undefined = id; x !== undefined; x = parent.get(x))
        frames.push(nodes.get(x)!.callFrame);
      partOf.set(id, (known = part(frames)));
    }
    return known;
  };
  const lines: string[] = [];
  const dominated = new Map<string, number>();
  let t = p.startTime;
  const samples = p.samples.map((id, i) => ({ at: (t += p.timeDeltas[i]!), id, gap: p.timeDeltas[i]! }));
  const shown = new Set([...stalls].sort((a, b) => b[2] - a[2]).slice(0, SHOWN));
  for (const stall of stalls) {
    const [start, end, ms] = stall;
    const by = new Map<string, number>();
    let gap = 0;
    for (const s of samples)
      if (s.at > start && s.at <= end) {
        by.set(partOfNode(s.id), (by.get(partOfNode(s.id)) ?? 0) + s.gap / 1000);
        gap = Math.max(gap, s.gap / 1000);
      }
    const ranked = [...by].sort((a, b) => b[1] - a[1]);
    const top = ranked[0]?.[0] ?? 'no samples';
    dominated.set(top, (dominated.get(top) ?? 0) + 1);
    if (shown.has(stall))
      lines.push(
        `  ${ms} ms at +${((start - p.startTime) / 1e6).toFixed(1)} s (longest sample gap ${gap.toFixed(0)} ms): ` +
          ranked.map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', '),
      );
  }
  return [
    `  ${stalls.length} stalls of 90 ms or more (the ${SHOWN} longest below, in time order), by what took most of each: ` +
      [...dominated].map(([k, n]) => `${k} ${n}`).join(', '),
    ...lines,
  ].join('\n');
}

/** The main thread's profile among those `--cpu-prof-dir` wrote (thread 0 of the service's pid). */
export function mainThreadProfile(dir: string, pid: number): string | undefined {
  const file = fs.readdirSync(dir).find((f) => f.includes(`.${pid}.0.`) && f.endsWith('.cpuprofile'));
  return file === undefined ? undefined : path.join(dir, file);
}
