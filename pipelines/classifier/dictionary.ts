import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodejieba from 'nodejieba';

export interface SegmentationInfo {
  segmenter: string;
  dictionaryDir: string | null;
  files: string[];
  /** sha256 over the dictionary files (name and content), as recorded in config.json. */
  sha256: string | null;
  words: number;
}

/**
 * Loads the analysis engine's domain dictionaries (every *.dict of the directory: "word [freq] [tag]"
 * per line, # comments) into nodejieba before any text is segmented, so that training segments the
 * way the service does. A missing directory means jieba's default dictionary alone.
 */
export async function loadDomainDictionary(dir: string): Promise<SegmentationInfo> {
  const segmenter = 'nodejieba.cut(text, true)';
  if (!existsSync(dir)) return { segmenter, dictionaryDir: null, files: [], sha256: null, words: 0 };
  const files = (await readdir(dir)).filter((f) => f.endsWith('.dict')).sort();
  const hash = createHash('sha256');
  const lines: string[] = [];
  for (const file of files) {
    const content = await readFile(path.join(dir, file), 'utf8');
    hash.update(file).update('\0').update(content).update('\0');
    for (const raw of content.split(/\r?\n/)) {
      const [word, freq = '20000', tag = 'nz'] = raw.replace(/#.*$/, '').trim().split(/\s+/);
      if (word) lines.push(`${word} ${freq} ${tag}`);
    }
  }
  const userDict = path.join(await mkdtemp(path.join(tmpdir(), 'voc-train-jieba-')), 'user.dict.utf8');
  await writeFile(userDict, `${lines.join('\n')}\n`);
  nodejieba.load({ userDict });
  return { segmenter, dictionaryDir: dir, files, sha256: hash.digest('hex'), words: lines.length };
}
