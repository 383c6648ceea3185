/**
 * Converts a fastText model directory exported before the projected graph (voc_classifier.graph
 * absent: the graph gathers up to maxFeatures embedding rows per token, then a MatMul) into the
 * current format (onnx-export.ts: one pre-projected row of logits per token and per token pair).
 * Tokenizer files and combination.json are copied unchanged; the scores stay the same up to float32
 * rounding (|Δ| ≈ 1e-6). The new directory is named by its version, beside the old one by default.
 *
 * Usage: npx tsx pipelines/classifier/fasttext/convert-model-dir.ts DIR [--out PARENT] [--manifest models/manifest.json]
 * With --manifest, the "classifier" entry that points at DIR is moved to the converted directory
 * (metrics and training kept); an entry pointing elsewhere is left alone.
 */
import { createHash } from 'node:crypto';
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import onnxProto from 'onnx-proto';
import { versionOfHashes } from '../../../src/ml/model-dir.js';
import { CLASSIFIER_MANIFEST_NAME, readManifest, upsertManifestEntry } from '../../../src/ml/manifest.js';
import { formatJson, formatJsonFile } from '../prettier-json.js';
import { writeModelDir } from './export-model-dir.js';
import { BIGRAM_PRIME, SKIP_BIGRAM_PRIME, type FastTextParams, type Pooling } from './model.js';
import { buildOnnxModel, GRAPH_FORMAT } from './onnx-export.js';

const { onnx } = onnxProto;
const COPIED = ['tokenizer.json', 'tokenizer_config.json'] as const;
const COMBINATION_FILE = 'combination.json';

interface Config {
  id2label: Record<string, string>;
  voc_classifier?: Record<string, unknown>;
  [key: string]: unknown;
}

function tensorBytes(t: onnxProto.onnx.ITensorProto, name: string): Uint8Array {
  if (!t.rawData || t.rawData.length === 0) throw new Error(`initializer ${name} has no raw_data`);
  return Uint8Array.from(t.rawData);
}

/** The parameters of an old-format graph, read back from its initializers. */
export function paramsOfLegacyGraph(bytes: Uint8Array, labels: string[]): FastTextParams {
  const model = onnx.ModelProto.decode(bytes);
  const init = new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  const get = (name: string): { dims: number[]; data: Uint8Array; t: onnxProto.onnx.ITensorProto } => {
    const t = init.get(name);
    if (!t)
      throw new Error(
        init.has('unigram')
          ? `the graph is already in the ${GRAPH_FORMAT} format: nothing to convert`
          : `the graph has no initializer "${name}": not a fastText export of pipelines/classifier/fasttext`,
      );
    return { dims: (t.dims ?? []).map(Number), data: tensorBytes(t, name), t };
  };
  const f32 = (name: string): Float32Array => {
    const { data } = get(name);
    return new Float32Array(data.buffer, data.byteOffset, data.byteLength / 4);
  };
  const i32 = (name: string): Int32Array => {
    const { data } = get(name);
    return new Int32Array(data.buffer, data.byteOffset, data.byteLength / 4);
  };
  const i64 = (name: string): number => {
    const { data } = get(name);
    return Number(new BigInt64Array(data.buffer, data.byteOffset, 1)[0]);
  };
  if (i64('c_prime1') !== BIGRAM_PRIME || i64('c_prime2') !== SKIP_BIGRAM_PRIME)
    throw new Error('the graph hashes token pairs with other primes than model.ts: refusing to convert');
  const denominator = (model.graph?.node ?? []).find((n) => n.output?.[0] === 'denominator');
  const pooling: Pooling | undefined = { Identity: 'mean', Sqrt: 'sqrt', Div: 'sum' }[
    denominator?.opType ?? ''
  ] as Pooling | undefined;
  if (!pooling) throw new Error(`unknown pooling node ${denominator?.opType ?? '(none)'}`);
  const [, maxFeatures] = get('feat_table').dims as [number, number];
  const [dim, numLabels] = get('weights').dims as [number, number];
  if (numLabels !== labels.length)
    throw new Error(`config.json names ${labels.length} labels, the graph has ${numLabels}`);
  return {
    dim,
    labels,
    canon: i32('canon'),
    featTable: i32('feat_table'),
    maxFeatures,
    embeddings: f32('embeddings'),
    bigramOffset: i64('c_offset'),
    bigramBuckets: i64('c_buckets'),
    pooling,
    weights: f32('weights'),
    bias: f32('bias'),
  };
}

/** Converts DIR into PARENT/<version>/; returns that directory and its file hashes. */
export async function convertModelDir(
  dir: string,
  parent: string,
): Promise<{ dir: string; version: string; hashes: Record<string, string>; bytes: number }> {
  const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8')) as Config;
  if (config.voc_classifier?.graph === GRAPH_FORMAT)
    throw new Error(`${dir} is already in the ${GRAPH_FORMAT} format: nothing to convert`);
  const labels = Object.keys(config.id2label)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => config.id2label[k]!);
  const params = paramsOfLegacyGraph(await readFile(path.join(dir, 'onnx/model.onnx')), labels);
  const oldHashes: Record<string, string> = {};
  const files = new Map<string, Uint8Array>();
  for (const rel of [...COPIED, 'config.json', 'onnx/model.onnx']) {
    oldHashes[rel] = sha256(await readFile(path.join(dir, rel)));
  }
  const converted: Config = {
    ...config,
    voc_classifier: {
      ...config.voc_classifier,
      graph: GRAPH_FORMAT,
      converted_from: versionOfHashes(oldHashes),
    },
  };
  const configText = await formatJson(JSON.stringify(converted), path.join(parent, 'config.json'));
  files.set('config.json', new TextEncoder().encode(configText));
  for (const rel of COPIED) files.set(rel, await readFile(path.join(dir, rel)));
  files.set('onnx/model.onnx', buildOnnxModel(params));
  const hashes = Object.fromEntries([...files].map(([rel, data]) => [rel, sha256(data)]));
  const version = versionOfHashes(hashes);
  const out = path.join(parent, version);
  await writeModelDir(out, files);
  await copyFile(path.join(dir, COMBINATION_FILE), path.join(out, COMBINATION_FILE)).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  });
  const bytes = [...files.values()].reduce((n, d) => n + d.length, 0);
  return { dir: out, version, hashes, bytes };
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, manifest: { type: 'string' } },
  });
  const dir = positionals[0];
  if (!dir)
    throw new Error('usage: convert-model-dir.ts DIR [--out PARENT] [--manifest models/manifest.json]');
  const result = await convertModelDir(
    path.resolve(dir),
    path.resolve(values.out ?? path.dirname(path.resolve(dir))),
  );
  console.log(
    `converted ${dir} → ${result.dir} (version ${result.version}, ${(result.bytes / 1e6).toFixed(2)} MB)`,
  );
  if (!values.manifest) return;
  const file = path.resolve(values.manifest);
  const entry = (await readManifest(file)).models.find((m) => m.name === CLASSIFIER_MANIFEST_NAME);
  const root = path.dirname(path.dirname(file));
  if (!entry || path.resolve(root, entry.path) !== path.resolve(dir)) {
    console.log(`${file}: its classifier entry does not point at ${dir}; left alone`);
    return;
  }
  await upsertManifestEntry(file, {
    ...entry,
    version: result.version,
    path: path.relative(root, result.dir),
    sha256: result.hashes,
    sizeBytes: result.bytes,
  });
  await formatJsonFile(file);
  console.log(`${file}: classifier entry now ${result.version}`);
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  });
}
