import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * Train and dev files of the blind data.
 * - pipelines/blind/: each writer's fifth file (or a *-dev.jsonl) is dev, the rest train.
 * - a sealed round after its first contact (pipelines/eval/round-N/): only the adjudicated gold-*
 *   files count; the second half of each writer's files is dev, the first half train.
 * Files of a round without FIRST-CONTACT.md must never be passed here (callers check).
 */
export function splitTrainDev(files: readonly string[]): { train: string[]; dev: string[] } {
  const train: string[] = [];
  const dev: string[] = [];
  const rounds = files.filter((f) => /\/eval\/round-\d+\//.test(f));
  const byWriter = new Map<string, string[]>();
  for (const f of rounds) {
    const m = /^gold-(.+)-(\d+)\.jsonl$/.exec(basename(f));
    if (!m) continue;
    const key = `${f.slice(0, f.lastIndexOf('/'))}/${m[1]}`;
    byWriter.set(key, [...(byWriter.get(key) ?? []), f]);
  }
  for (const list of byWriter.values()) {
    list.sort();
    const half = Math.floor(list.length / 2);
    train.push(...list.slice(0, half));
    dev.push(...list.slice(half));
  }
  for (const f of files) {
    if (rounds.includes(f)) continue;
    (isDevFile(f) ? dev : train).push(f);
  }
  return { train: train.sort(), dev: dev.sort() };
}

export function isDevFile(file: string): boolean {
  return /-05\.jsonl$|-dev\.jsonl$/.test(basename(file));
}

/**
 * The labelled files under `paths` (directories or files) usable for training and tuning: blind
 * training data, and the adjudicated gold of every sealed round that has had its first contact.
 * A round still sealed (no FIRST-CONTACT.md) is refused when named, skipped when found inside a
 * directory: nobody trains or tunes on it before it is scored.
 */
export function listTrainingFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, named: boolean): void => {
    if (statSync(p).isDirectory()) {
      if (/round-\d+\/?$/.test(p)) {
        if (!existsSync(join(p, 'FIRST-CONTACT.md'))) {
          if (named) throw new Error(`${p} is sealed (no FIRST-CONTACT.md): score it before training on it`);
          return;
        }
        for (const name of readdirSync(p).sort()) if (/^gold-.*\.jsonl$/.test(name)) out.push(join(p, name));
        return;
      }
      for (const name of readdirSync(p).sort()) walk(join(p, name), false);
    } else if (p.endsWith('.jsonl')) out.push(p);
  };
  for (const p of paths) walk(p, true);
  return out;
}

export const DEFAULT_TRAINING_PATHS = ['pipelines/blind', 'pipelines/eval'];
