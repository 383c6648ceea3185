import onnxProto from 'onnx-proto';
import { BIGRAM_PRIME, SKIP_BIGRAM_PRIME, type FastTextParams, type Pooling } from './model.js';

const { onnx } = onnxProto;
type INode = onnxProto.onnx.INodeProto;
type ITensor = onnxProto.onnx.ITensorProto;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT32 = onnx.TensorProto.DataType.INT32;
const INT64 = onnx.TensorProto.DataType.INT64;
const ATTR_INT = onnx.AttributeProto.AttributeType.INT;
const OPSET = 13;
const INT64_MAX = 9_223_372_036_854_775_807n;

function bytes(view: ArrayBufferView): Uint8Array {
  // ONNX raw_data is little-endian, as are typed arrays on every platform Node supports.
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

function f32(name: string, dims: number[], data: Float32Array): ITensor {
  return { name, dims, dataType: FLOAT, rawData: bytes(data) };
}

function i32(name: string, dims: number[], data: Int32Array): ITensor {
  return { name, dims, dataType: INT32, rawData: bytes(data) };
}

function i64(name: string, dims: number[], values: bigint[]): ITensor {
  return { name, dims, dataType: INT64, rawData: bytes(BigInt64Array.from(values)) };
}

function node(op: string, inputs: string[], output: string, ints: Record<string, number> = {}): INode {
  const attribute = Object.entries(ints).map(([name, i]) => ({ name, type: ATTR_INT, i }));
  return { opType: op, input: inputs, output: [output], name: output, attribute };
}

/**
 * The exported graph's tables. Everything after the embedding lookup is linear (sum, divide by the
 * pooling divisor, · W), so each feature row can be projected through W at export: the graph then
 * gathers one row of label logits per token (the token's features already summed) and one per
 * token pair, instead of up to `maxFeatures` embedding rows per token followed by a MatMul. The
 * scores are the same up to float32 rounding (sums in another order; |Δ| ≈ 1e-6).
 */
export interface ProjectedTables {
  numLabels: number;
  /** [numCanon, numLabels]: Σ over a token's feature rows of row · W; row 0 (no features) zero. */
  unigram: Float32Array;
  /** [numCanon]: how many feature rows each canonical token has (the pooling count). */
  unigramCount: Float32Array;
  /** [bigramBuckets + 1, numLabels]: bucket k at row k + 1, row 0 zero (a pair with a featureless token). */
  pairs: Float32Array;
}

/** Projects every feature row through W (in float64, rounded once) and sums each token's rows. */
export function projectTables(p: FastTextParams): ProjectedTables {
  const L = p.labels.length;
  const numCanon = p.featTable.length / p.maxFeatures;
  const project = (row: number, into: Float64Array): void => {
    const base = row * p.dim;
    for (let d = 0; d < p.dim; d++) {
      const e = p.embeddings[base + d]!;
      if (e === 0) continue;
      const w = d * L;
      for (let l = 0; l < L; l++) into[l]! += e * p.weights[w + l]!;
    }
  };
  const unigram = new Float32Array(numCanon * L);
  const unigramCount = new Float32Array(numCanon);
  const acc = new Float64Array(L);
  for (let c = 1; c < numCanon; c++) {
    acc.fill(0);
    let n = 0;
    for (let k = 0; k < p.maxFeatures; k++) {
      const row = p.featTable[c * p.maxFeatures + k]!;
      if (row > 0) {
        project(row, acc);
        n++;
      }
    }
    unigram.set(acc, c * L);
    unigramCount[c] = n;
  }
  const pairs = new Float32Array((p.bigramBuckets + 1) * L);
  for (let k = 0; k < p.bigramBuckets; k++) {
    acc.fill(0);
    project(p.bigramOffset + k, acc);
    pairs.set(acc, (k + 1) * L);
  }
  return { numLabels: L, unigram, unigramCount, pairs };
}

/**
 * Nodes of one hashed pair feature (gap 1: bigram, gap 2: skip-bigram); returns [sum, count]. A pair
 * with a featureless token (or padding) gets row 0, which is zero, so no float mask is needed.
 */
function pairNodes(gap: number): { nodes: INode[]; sum: string; count: string } {
  const g = `g${gap}`;
  return {
    sum: `${g}_sum`,
    count: `${g}_count`,
    nodes: [
      node('Slice', ['cid', 'c_zero', `c_neg${gap}`, 'c_axis1'], `${g}_a`),
      node('Slice', ['cid', `c_pos${gap}`, 'c_max', 'c_axis1'], `${g}_b`),
      node('Slice', ['active', 'c_zero', `c_neg${gap}`, 'c_axis1'], `${g}_wa`),
      node('Slice', ['active', `c_pos${gap}`, 'c_max', 'c_axis1'], `${g}_wb`),
      node('Mul', [`${g}_wa`, `${g}_wb`], `${g}_w`),
      node('Mul', [`${g}_a`, `c_prime${gap}`], `${g}_ap`),
      node('Add', [`${g}_ap`, `${g}_b`], `${g}_key`),
      node('Mod', [`${g}_key`, 'c_buckets'], `${g}_mod`),
      node('Add', [`${g}_mod`, 'c_one64'], `${g}_row1`),
      node('Mul', [`${g}_row1`, `${g}_w`], `${g}_row`),
      node('Gather', ['pairs', `${g}_row`], `${g}_logits`, { axis: 0 }),
      node('ReduceSum', [`${g}_logits`, 'c_axis1'], `${g}_sum`, { keepdims: 0 }),
      node('Cast', [`${g}_w`], `${g}_wf`, { to: FLOAT }),
      node('ReduceSum', [`${g}_wf`, 'c_axis1'], `${g}_count`, { keepdims: 0 }),
    ],
  };
}

function denominatorNode(pooling: Pooling): INode {
  if (pooling === 'mean') return node('Identity', ['count1'], 'denominator');
  if (pooling === 'sqrt') return node('Sqrt', ['count1'], 'denominator');
  return node('Div', ['count1', 'count1'], 'denominator');
}

/** Marks the graph's format in config.json (voc_classifier.graph), so a converter can tell. */
export const GRAPH_FORMAT = 'projected-logits-v2';

/**
 * The ONNX graph of model.ts forward(): inputs input_ids and attention_mask (int64 [batch, seq]),
 * output logits (float [batch, labels]). Opset 13, operators onnxruntime 1.14 runs on CPU.
 */
export function buildOnnxModel(p: FastTextParams): Uint8Array {
  const t = projectTables(p);
  const numCanon = p.featTable.length / p.maxFeatures;
  const bigram = pairNodes(1);
  const skip = pairNodes(2);
  const nodes: INode[] = [
    node('Gather', ['canon', 'input_ids'], 'cid32', { axis: 0 }),
    node('Cast', ['cid32'], 'cid_all', { to: INT64 }),
    node('Mul', ['cid_all', 'attention_mask'], 'cid'),
    node('Greater', ['cid', 'c_zero'], 'active_b'),
    node('Cast', ['active_b'], 'active', { to: INT64 }),
    node('Gather', ['unigram', 'cid'], 'u_logits', { axis: 0 }),
    node('ReduceSum', ['u_logits', 'c_axis1'], 'u_sum', { keepdims: 0 }),
    node('Gather', ['unigram_count', 'cid'], 'u_counts', { axis: 0 }),
    node('ReduceSum', ['u_counts', 'c_axis1'], 'u_count', { keepdims: 0 }),
    ...bigram.nodes,
    ...skip.nodes,
    node('Add', ['u_sum', bigram.sum], 'sum_a'),
    node('Add', ['sum_a', skip.sum], 'sum'),
    node('Add', ['u_count', bigram.count], 'count_a'),
    node('Add', ['count_a', skip.count], 'count'),
    node('Max', ['count', 'c_one'], 'count1'),
    denominatorNode(p.pooling),
    node('Unsqueeze', ['denominator', 'c_axis1'], 'denominator2'),
    node('Div', ['sum', 'denominator2'], 'pooled'),
    node('Add', ['pooled', 'bias'], 'logits'),
  ];
  const initializer: ITensor[] = [
    i32('canon', [p.canon.length], p.canon),
    f32('unigram', [numCanon, t.numLabels], t.unigram),
    f32('unigram_count', [numCanon], t.unigramCount),
    f32('pairs', [p.bigramBuckets + 1, t.numLabels], t.pairs),
    f32('bias', [t.numLabels], p.bias),
    i64('c_zero', [1], [0n]),
    i64('c_neg1', [1], [-1n]),
    i64('c_neg2', [1], [-2n]),
    i64('c_pos1', [1], [1n]),
    i64('c_pos2', [1], [2n]),
    i64('c_max', [1], [INT64_MAX]),
    i64('c_axis1', [1], [1n]),
    i64('c_one64', [], [1n]),
    i64('c_prime1', [], [BigInt(BIGRAM_PRIME)]),
    i64('c_prime2', [], [BigInt(SKIP_BIGRAM_PRIME)]),
    i64('c_buckets', [], [BigInt(p.bigramBuckets)]),
    f32('c_one', [], Float32Array.of(1)),
  ];
  const io = (name: string, elemType: number, dims: string[]): onnxProto.onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((dimParam) => ({ dimParam })) } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'voc-bank train-classifier',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: 'fasttext_classifier',
      node: nodes,
      initializer,
      input: [
        io('input_ids', INT64, ['batch_size', 'sequence_length']),
        io('attention_mask', INT64, ['batch_size', 'sequence_length']),
      ],
      output: [io('logits', FLOAT, ['batch_size', 'num_labels'])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
