/**
 * "Add to taxonomy" for an emerging name: appends it to a competitor's `names` in
 * models/taxonomy/competitors.yaml (default `other_bank`, the catch-all for banks and lenders outside
 * the list), by inserting it into the existing flow list so the rest of the file, comments included,
 * stays byte for byte. The caller reloads the taxonomy (which validates it) and restores the old text
 * when that fails.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompetitorId } from '../domain/labels.js';
import { ValidationError } from '../errors.js';
import type { ReportVocabulary } from './vocabulary.js';

const NAME = /^[\u4e00-\u9fffA-Za-z0-9]{2,20}$/u;

export interface TaxonomyEdit {
  file: string;
  /** The file's text before the edit, to restore it when the new taxonomy does not load. */
  previous: string;
}

export function competitorsFile(modelsDir: string): string {
  return join(modelsDir, 'taxonomy', 'competitors.yaml');
}

/** Adds `name` to the names of competitor `id`; refuses names that are not names or are known already. */
export function addCompetitorName(
  modelsDir: string,
  id: CompetitorId,
  name: string,
  vocabulary: ReportVocabulary,
): TaxonomyEdit {
  const where = 'name';
  if (!NAME.test(name))
    throw new ValidationError('Invalid name', [
      { where, message: 'a name is 2 to 20 Chinese characters, letters or digits' },
    ]);
  if (vocabulary.knownNames.has(name.toLowerCase()))
    throw new ValidationError('Name already known', [
      { where, message: `${name} is already in the taxonomy (a name, weak name or generic word)` },
    ]);
  const file = competitorsFile(modelsDir);
  const previous = readFileSync(file, 'utf8');
  const lines = previous.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^  ${id}:`).test(l));
  const at = start < 0 ? -1 : lines.findIndex((l, i) => i >= start && /(^|[\s{,])names: \[/.test(l));
  const line = lines[at];
  if (at < 0 || line === undefined || (at > start && /^ {2}\S/m.test(lines.slice(start + 1, at).join('\n'))))
    throw new ValidationError('Cannot edit the taxonomy', [
      { where: 'id', message: `competitors.yaml has no flow list "names: [...]" for ${id}` },
    ]);
  lines[at] = line.replace(/((?:^|[\s{,])names: \[)/, `$1${name}, `).replace(', ]', ']');
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, lines.join('\n'));
  renameSync(tmp, file);
  return { file, previous };
}

/** Puts the file back as it was. */
export function restoreTaxonomy(edit: TaxonomyEdit): void {
  writeFileSync(edit.file, edit.previous);
}
