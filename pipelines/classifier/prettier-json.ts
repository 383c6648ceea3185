import { readFile, writeFile } from 'node:fs/promises';
import * as prettier from 'prettier';

/** JSON laid out as the repository's prettier config wants it, so `npm run format:check` passes. */
export async function formatJson(text: string, file: string): Promise<string> {
  const config = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...config, parser: 'json', filepath: file });
}

/** Formats the .json entries of a model's file map in place (before they are hashed). */
export async function formatJsonFiles(files: Map<string, Uint8Array>, dir: string): Promise<void> {
  for (const [rel, data] of files) {
    if (!rel.endsWith('.json')) continue;
    const text = await formatJson(new TextDecoder().decode(data), `${dir}/${rel}`);
    files.set(rel, new TextEncoder().encode(text));
  }
}

export async function formatJsonFile(file: string): Promise<void> {
  await writeFile(file, await formatJson(await readFile(file, 'utf8'), file));
}
