/** Creating, swapping and deleting the indices behind an alias. Every step is safe to repeat. */
import type { Client, estypes } from '@elastic/elasticsearch';
import { request, statusOf } from './client.js';
import { firstIndexName } from './mappings.js';

/** Concrete indices the alias points at now (empty when the alias does not exist). */
export async function aliasTargets(client: Client, alias: string): Promise<string[]> {
  const response = await request(`get alias ${alias}`, () =>
    client.indices.getAlias({ name: alias }, { ignore: [404] }),
  );
  // A 404 body is { error, status } rather than a map of index names.
  return Object.keys(response).filter((key) => key !== 'error' && key !== 'status');
}

/** Creates or updates an index template (applies to indices created afterwards). */
export async function putTemplate(
  client: Client,
  template: estypes.IndicesPutIndexTemplateRequest,
): Promise<void> {
  await request(`put template ${template.name}`, () => client.indices.putIndexTemplate(template));
}

/**
 * Makes sure `alias` exists, creating `<alias>-000001` as its write index the first time. Two
 * processes starting together both succeed.
 */
export async function ensureAlias(client: Client, alias: string): Promise<void> {
  if ((await aliasTargets(client, alias)).length > 0) return;
  const exists = await request(`check index ${alias}`, () => client.indices.exists({ index: alias }));
  if (exists) {
    throw new Error(
      `Elasticsearch has an index named "${alias}" where an alias is expected (probably auto-created by a ` +
        'write before setup); delete it or choose another ELASTICSEARCH_INDEX_PREFIX',
    );
  }
  try {
    await request(`create index for ${alias}`, () =>
      client.indices.create({ index: firstIndexName(alias), aliases: { [alias]: { is_write_index: true } } }),
    );
  } catch (error) {
    if (statusOf(error) !== 400 || (await aliasTargets(client, alias)).length === 0) throw error;
    // resource_already_exists_exception: another process created it first.
  }
}

export interface SwapOptions {
  alias: string;
  /** The new concrete index; created here from the matching template, and must not exist yet. */
  index: string;
  /** Fills the new index before the swap (e.g. re-writes every document with a new mapping). */
  populate?: (index: string) => Promise<void>;
  /** Delete the indices the alias pointed at before. Default false: keep them for a rollback. */
  deleteOld?: boolean;
}

/**
 * Creates `index`, optionally populates it, then moves `alias` onto it in one atomic
 * `_aliases` call, so readers and writers see either the old index or the new one, never neither.
 * Returns the indices the alias pointed at before.
 */
export async function createIndexAndSwapAlias(client: Client, options: SwapOptions): Promise<string[]> {
  const { alias, index } = options;
  await request(`create index ${index}`, () => client.indices.create({ index }));
  if (options.populate !== undefined) {
    await options.populate(index);
    await request(`refresh ${index}`, () => client.indices.refresh({ index }));
  }
  const previous = await aliasTargets(client, alias);
  await request(`swap alias ${alias}`, () =>
    client.indices.updateAliases({
      actions: [
        ...previous.map((old) => ({ remove: { index: old, alias } })),
        { add: { index, alias, is_write_index: true } },
      ],
    }),
  );
  if (options.deleteOld === true && previous.length > 0) {
    await request(`delete ${previous.join(',')}`, () => client.indices.delete({ index: previous }));
  }
  return previous;
}

/**
 * Deletes every index and index template whose name starts with `prefix` (test teardown). Names are
 * listed first because clusters normally refuse wildcard deletes (action.destructive_requires_name).
 */
export async function deleteByPrefix(client: Client, prefix: string): Promise<void> {
  if (prefix.length < 3) throw new Error(`refusing to delete by the short prefix "${prefix}"`);
  const indices = await client.indices.get({ index: `${prefix}*`, expand_wildcards: 'all' });
  const names = Object.keys(indices);
  // In chunks: the names go into the URL, which Elasticsearch caps at 4096 bytes.
  for (let i = 0; i < names.length; i += 20) {
    await client.indices.delete({ index: names.slice(i, i + 20) });
  }
  const templates = await client.indices.getIndexTemplate({ name: `${prefix}*` }, { ignore: [404] });
  for (const { name } of templates.index_templates ?? []) {
    await client.indices.deleteIndexTemplate({ name });
  }
}
