/**
 * The graph pipelines/classifier/fasttext/onnx-export.ts wrote before the projected format (up to
 * maxFeatures embedding rows gathered per token, then a MatMul), kept verbatim so the converter's
 * test can make a model directory in the old format.
 */
import onnxProto from 'onnx-proto';
import {
  BIGRAM_PRIME,
  SKIP_BIGRAM_PRIME,
  type FastTextParams,
  type Pooling,
} from '../../pipelines/classifier/fasttext/model.js';

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

/** Nodes of one hashed pair feature (gap 1: bigram, gap 2: skip-bigram); returns [sum, count]. */
function pairNodes(gap: number): { nodes: INode[]; sum: string; count: string } {
  const g = `g${gap}`;
  return {
    sum: `${g}_sum`,
    count: `${g}_count`,
    nodes: [
      node('Slice', ['cid', 'c_zero', `c_neg${gap}`, 'c_axis1'], `${g}_a`),
      node('Slice', ['cid', `c_pos${gap}`, 'c_max', 'c_axis1'], `${g}_b`),
      node('Slice', ['tw', 'c_zero', `c_neg${gap}`, 'c_axis1'], `${g}_wa`),
      node('Slice', ['tw', `c_pos${gap}`, 'c_max', 'c_axis1'], `${g}_wb`),
      node('Mul', [`${g}_wa`, `${g}_wb`], `${g}_w`),
      node('Mul', [`${g}_a`, `c_prime${gap}`], `${g}_ap`),
      node('Add', [`${g}_ap`, `${g}_b`], `${g}_key`),
      node('Mod', [`${g}_key`, 'c_buckets'], `${g}_mod`),
      node('Add', [`${g}_mod`, 'c_offset'], `${g}_row`),
      node('Gather', ['embeddings', `${g}_row`], `${g}_emb`, { axis: 0 }),
      node('Unsqueeze', [`${g}_w`, 'c_axis2'], `${g}_w3`),
      node('Mul', [`${g}_emb`, `${g}_w3`], `${g}_weighted`),
      node('ReduceSum', [`${g}_weighted`, 'c_axis1'], `${g}_sum`, { keepdims: 0 }),
      node('ReduceSum', [`${g}_w`, 'c_axis1'], `${g}_count`, { keepdims: 0 }),
    ],
  };
}

function denominatorNode(pooling: Pooling): INode {
  if (pooling === 'mean') return node('Identity', ['count1'], 'denominator');
  if (pooling === 'sqrt') return node('Sqrt', ['count1'], 'denominator');
  return node('Div', ['count1', 'count1'], 'denominator');
}

/**
 * The ONNX graph of model.ts forward(): inputs input_ids and attention_mask (int64 [batch, seq]),
 * output logits (float [batch, labels]). Opset 13, operators onnxruntime 1.14 runs on CPU.
 */
export function buildLegacyOnnxModel(p: FastTextParams): Uint8Array {
  const numLabels = p.labels.length;
  const numRows = p.embeddings.length / p.dim;
  const numCanon = p.featTable.length / p.maxFeatures;
  const bigram = pairNodes(1);
  const skip = pairNodes(2);
  const nodes: INode[] = [
    node('Gather', ['canon', 'input_ids'], 'cid32', { axis: 0 }),
    node('Cast', ['cid32'], 'cid', { to: INT64 }),
    node('Greater', ['cid', 'c_zero'], 'active_b'),
    node('Cast', ['active_b'], 'active', { to: FLOAT }),
    node('Cast', ['attention_mask'], 'mask', { to: FLOAT }),
    node('Mul', ['mask', 'active'], 'tw'),
    node('Gather', ['feat_table', 'cid'], 'fids', { axis: 0 }),
    node('Greater', ['fids', 'c_zero32'], 'fw_b'),
    node('Cast', ['fw_b'], 'fw', { to: FLOAT }),
    node('Unsqueeze', ['tw', 'c_axis2'], 'tw3'),
    node('Mul', ['fw', 'tw3'], 'uw'),
    node('Gather', ['embeddings', 'fids'], 'u_emb', { axis: 0 }),
    node('Unsqueeze', ['uw', 'c_axis3'], 'uw4'),
    node('Mul', ['u_emb', 'uw4'], 'u_weighted'),
    node('ReduceSum', ['u_weighted', 'c_axes12'], 'u_sum', { keepdims: 0 }),
    node('ReduceSum', ['uw', 'c_axes12'], 'u_count', { keepdims: 0 }),
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
    node('MatMul', ['pooled', 'weights'], 'scores'),
    node('Add', ['scores', 'bias'], 'logits'),
  ];
  const initializer: ITensor[] = [
    i32('canon', [p.canon.length], p.canon),
    i32('feat_table', [numCanon, p.maxFeatures], p.featTable),
    f32('embeddings', [numRows, p.dim], p.embeddings),
    f32('weights', [p.dim, numLabels], p.weights),
    f32('bias', [numLabels], p.bias),
    i64('c_zero', [1], [0n]),
    i32('c_zero32', [], Int32Array.of(0)),
    i64('c_neg1', [1], [-1n]),
    i64('c_neg2', [1], [-2n]),
    i64('c_pos1', [1], [1n]),
    i64('c_pos2', [1], [2n]),
    i64('c_max', [1], [INT64_MAX]),
    i64('c_axis1', [1], [1n]),
    i64('c_axis2', [1], [2n]),
    i64('c_axis3', [1], [3n]),
    i64('c_axes12', [2], [1n, 2n]),
    i64('c_prime1', [], [BigInt(BIGRAM_PRIME)]),
    i64('c_prime2', [], [BigInt(SKIP_BIGRAM_PRIME)]),
    i64('c_buckets', [], [BigInt(p.bigramBuckets)]),
    i64('c_offset', [], [BigInt(p.bigramOffset)]),
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
