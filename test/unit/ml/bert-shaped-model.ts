import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

/**
 * A miniature of what a bank would drop in: the files `optimum` exports for a Chinese BERT
 * sequence classifier (BertTokenizer over single characters, three int64 inputs including
 * token_type_ids, single-label softmax), with a toy graph: mean of character embeddings → linear.
 * 好 pushes towards "positive", 差 towards "negative".
 */
export async function writeBertShapedModel(dir: string): Promise<void> {
  const chars = ['这', '个', '很', '好', '太', '差', '了'];
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...chars, ...chars.map((c) => `##${c}`)];
  const vocabMap = Object.fromEntries(vocab.map((t, i) => [t, i]));
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: vocab.slice(0, 5).map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: vocabMap,
    },
  };
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    model_max_length: 512,
    do_lower_case: true,
    tokenize_chinese_chars: true,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    mask_token: '[MASK]',
  };
  const config = {
    model_type: 'bert',
    architectures: ['BertForSequenceClassification'],
    id2label: { '0': 'negative', '1': 'positive' },
    label2id: { negative: 0, positive: 1 },
    vocab_size: vocab.length,
    hidden_size: 2,
  };
  // Embedding dim 2: [positive evidence, negative evidence].
  const emb = new Float32Array(vocab.length * 2);
  const setEmb = (token: string, pos: number, neg: number): void => {
    const i = vocabMap[token] ?? 0;
    emb[i * 2] = pos;
    emb[i * 2 + 1] = neg;
  };
  setEmb('好', 4, 0);
  setEmb('差', 0, 4);
  const tensor = (name: string, dims: number[], dataType: number, data: ArrayBufferView) => ({
    name,
    dims,
    dataType,
    rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
  });
  const node = (opType: string, input: string[], output: string, attribute: object[] = []) => ({
    opType,
    input,
    output: [output],
    name: output,
    attribute,
  });
  const io = (name: string, elemType: number, dims: string[]) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((dimParam) => ({ dimParam })) } } },
  });
  const axis0 = [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }];
  const toFloat = [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: FLOAT }];
  const noKeep = [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 }];
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'bert_shaped',
      node: [
        node('Gather', ['emb', 'input_ids'], 'e', axis0),
        node('Cast', ['attention_mask'], 'm', toFloat),
        node('Cast', ['token_type_ids'], 'tt', toFloat),
        node('Add', ['m', 'tt'], 'm2'),
        node('Unsqueeze', ['m2', 'axis2'], 'm3'),
        node('Mul', ['e', 'm3'], 'em'),
        node('ReduceSum', ['em', 'axis1'], 'pooled', noKeep),
        node('MatMul', ['pooled', 'w'], 'z'),
        node('Add', ['z', 'b'], 'logits'),
      ],
      initializer: [
        tensor('emb', [vocab.length, 2], FLOAT, emb),
        tensor('w', [2, 2], FLOAT, Float32Array.of(-1, 1, 1, -1)),
        tensor('b', [2], FLOAT, Float32Array.of(0, 0)),
        tensor('axis1', [1], INT64, BigInt64Array.of(1n)),
        tensor('axis2', [1], INT64, BigInt64Array.of(2n)),
      ],
      input: [
        io('input_ids', INT64, ['batch', 'seq']),
        io('attention_mask', INT64, ['batch', 'seq']),
        io('token_type_ids', INT64, ['batch', 'seq']),
      ],
      output: [io('logits', FLOAT, ['batch', 'labels'])],
    },
  });
  const files: Record<string, string | Uint8Array> = {
    'config.json': JSON.stringify(config),
    'tokenizer.json': JSON.stringify(tokenizer),
    'tokenizer_config.json': JSON.stringify(tokenizerConfig),
    'onnx/model.onnx': onnx.ModelProto.encode(model).finish(),
  };
  for (const [rel, data] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), data);
  }
}
