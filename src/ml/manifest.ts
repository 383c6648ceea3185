import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * models/manifest.json: one entry per shipped model artefact (name, version, files with sha256,
 * metrics). The classifier's entry is named "classifier"; its `path` is relative to the models/
 * directory's parent (the repository root), e.g. "models/classifier/3f2a9c1d0b7e".
 */
export interface ManifestEntry {
  name: string;
  version: string;
  path: string;
  /** sha256 per file, path relative to the entry's directory. */
  sha256: Record<string, string>;
  metrics?: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface Manifest {
  models: ManifestEntry[];
  [extra: string]: unknown;
}

export const CLASSIFIER_MANIFEST_NAME = 'classifier';

export async function readManifest(file: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { models: [] };
    throw err;
  }
  const value = JSON.parse(text) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${file}: expected a JSON object with a "models" array`);
  }
  const manifest = value as Partial<Manifest>;
  if (manifest.models !== undefined && !Array.isArray(manifest.models)) {
    throw new Error(`${file}: "models" must be an array`);
  }
  return { ...manifest, models: manifest.models ?? [] };
}

/** Replaces the entry of the same name (or appends it), keeping every other entry and field. */
export async function upsertManifestEntry(file: string, entry: ManifestEntry): Promise<void> {
  const manifest = await readManifest(file);
  const models = manifest.models.filter((m) => m.name !== entry.name);
  models.push(entry);
  models.sort((a, b) => a.name.localeCompare(b.name));
  await writeFile(file, `${JSON.stringify({ ...manifest, models }, null, 2)}\n`);
}

/** The directory of the current classifier per models/manifest.json (absolute). */
export async function classifierDirFromManifest(modelsDir: string): Promise<string> {
  const file = path.join(modelsDir, 'manifest.json');
  const entry = (await readManifest(file)).models.find((m) => m.name === CLASSIFIER_MANIFEST_NAME);
  if (!entry) throw new Error(`${file} has no "${CLASSIFIER_MANIFEST_NAME}" entry: run npm run train`);
  // Paths are written relative to the repository ("models/classifier/<version>"); resolve them inside
  // modelsDir so a copied or relocated models directory (MODELS_DIR) finds its own classifier.
  const inside = entry.path.replace(/^models[\\/]/, '');
  return path.resolve(modelsDir, inside);
}
