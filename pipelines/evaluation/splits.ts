import { basename } from 'node:path';

/** Blind training data is split by file: each writer's fifth file (or a *-dev.jsonl) is dev, the rest train. */
export function isDevFile(file: string): boolean {
  return /-05\.jsonl$|-dev\.jsonl$/.test(basename(file));
}
