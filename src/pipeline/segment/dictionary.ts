import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One entry of a user dictionary file. */
export interface DictionaryEntry {
  word: string;
  freq: number;
  tag: string;
}

export interface Dictionary {
  entries: DictionaryEntry[];
  /** Content hash of the files, the `dictionary` part of AnalysisVersions. */
  version: string;
  files: string[];
}

export const DEFAULT_FREQ = 20000;
const DEFAULT_TAG = 'nz';

/**
 * Reads every `*.dict` file of a directory (sorted by name). Format: one word per line, optionally
 * `word freq tag`; `#` starts a comment. Malformed lines are reported with file and line number.
 */
export function readDictionary(dir: string): Dictionary {
  if (!existsSync(dir)) throw new Error(`dictionary directory not found: ${dir}`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.dict'))
    .sort();
  const hash = createHash('sha256');
  const entries: DictionaryEntry[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const content = readFileSync(join(dir, file), 'utf8');
    hash.update(file).update('\0').update(content).update('\0');
    content.split(/\r?\n/).forEach((raw, index) => {
      const line = raw.replace(/#.*$/, '').trim();
      if (line.length === 0) return;
      const parts = line.split(/\s+/);
      const [word = '', freqText, tag = DEFAULT_TAG] = parts;
      const freq = freqText === undefined ? DEFAULT_FREQ : Number(freqText);
      if (parts.length > 3 || !Number.isInteger(freq) || freq <= 0) {
        throw new Error(
          `${join(dir, file)}:${index + 1}: expected "word [freq] [tag]" with a positive integer freq, got "${raw}"`,
        );
      }
      if (seen.has(word)) return;
      seen.add(word);
      entries.push({ word, freq, tag });
    });
  }
  return { entries, version: hash.digest('hex').slice(0, 12), files: files.map((f) => join(dir, f)) };
}
