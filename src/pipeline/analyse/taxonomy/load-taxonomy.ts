import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import {
  ASPECTS,
  COMPETITOR_IDS,
  COMPLAINT_CATEGORIES,
  ESCALATIONS,
  LIFE_EVENTS,
  NEEDS,
} from '../../../domain/labels.js';
import { TAXONOMY_FILES, type TaxonomyData } from './schema.js';

/** Maps keyed by label id: an unknown key is most likely a misspelt id, so list the valid ones. */
const LABEL_MAPS: Record<string, readonly string[]> = {
  needs: NEEDS,
  lifeEvents: LIFE_EVENTS,
  categories: COMPLAINT_CATEGORIES.filter((c) => c !== 'other'),
  escalation: ESCALATIONS,
  competitors: COMPETITOR_IDS,
  terms: ASPECTS,
};

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const owner = String(issue.path[issue.path.length - 1] ?? '');
    const valid = LABEL_MAPS[owner];
    return issue.keys
      .map(
        (key) =>
          `${formatPath([...issue.path, key])}: unknown key${valid ? `; expected one of ${valid.join(', ')}` : ''}`,
      )
      .join('; ');
  }
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/** A taxonomy file that cannot be used: names the file, the path inside it and what was expected. */
export class TaxonomyError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'TaxonomyError';
  }
}

export interface LoadedTaxonomy {
  data: TaxonomyData;
  /** Content hash of the files (and of `extra`, e.g. the configured home institution). */
  version: string;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path)
    out += typeof p === 'number' ? `[${p}]` : out.length === 0 ? String(p) : `.${String(p)}`;
  return out.length > 0 ? out : '(root)';
}

function parseFile<S extends z.ZodType>(
  dir: string,
  file: string,
  schema: S,
): { value: z.infer<S>; content: string } {
  const path = join(dir, file);
  if (!existsSync(path)) throw new TaxonomyError(path, ['file is missing']);
  const content = readFileSync(path, 'utf8');
  let raw: unknown;
  try {
    raw = parse(content, { uniqueKeys: true });
  } catch (error) {
    throw new TaxonomyError(path, [`not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`]);
  }
  const result = schema.safeParse(raw ?? {});
  if (!result.success) {
    throw new TaxonomyError(path, result.error.issues.map(describeIssue));
  }
  return { value: result.data, content };
}

/** Read and validate every taxonomy file of `dir`; unknown .yaml files are an error (a typo'd name). */
export function loadTaxonomy(dir: string, extra = ''): LoadedTaxonomy {
  if (!existsSync(dir)) throw new TaxonomyError(dir, ['taxonomy directory not found']);
  const expected = Object.keys(TAXONOMY_FILES);
  const unknown = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && !expected.includes(f));
  if (unknown.length > 0) {
    throw new TaxonomyError(join(dir, unknown[0] ?? ''), [
      `unexpected taxonomy file; expected only ${expected.join(', ')}`,
    ]);
  }
  const hash = createHash('sha256');
  const read = <K extends keyof typeof TAXONOMY_FILES>(file: K): z.infer<(typeof TAXONOMY_FILES)[K]> => {
    const { value, content } = parseFile(dir, file, TAXONOMY_FILES[file]);
    hash.update(file).update('\0').update(content).update('\0');
    return value as z.infer<(typeof TAXONOMY_FILES)[K]>;
  };
  const data: TaxonomyData = {
    institution: read('institution.yaml'),
    cues: read('cues.yaml'),
    complaints: read('complaints.yaml'),
    competitors: read('competitors.yaml'),
    needs: read('needs.yaml'),
    lifeEvents: read('life-events.yaml'),
    sentiment: read('sentiment.yaml'),
  };
  hash.update(extra);
  return { data, version: hash.digest('hex').slice(0, 12) };
}
