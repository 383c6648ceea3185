import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PreTrainedTokenizer } from '@xenova/transformers';
import {
  buildTokenizerFiles,
  buildVocabulary,
} from '../../../pipelines/classifier/fasttext/tokenizer-json.js';
import { modelInputs, modelInputWords } from '../../../src/analysis/model-inputs.js';
import type { Conversation } from '../../../src/domain/conversation.js';
import { classifierDirFromManifest } from '../../../src/ml/manifest.js';
import { createWordEncoder, type WordTokenizer } from '../../../src/ml/word-encoder.js';
import { createPipeline } from '../../../src/pipeline/run-pipeline.js';

function tokenizerOf(tokenizerJson: unknown, config: unknown): WordTokenizer {
  return new PreTrainedTokenizer(tokenizerJson, config) as unknown as WordTokenizer;
}

const reference = (tok: WordTokenizer, texts: string[]): number[][] =>
  tok(texts, { padding: false, truncation: true, return_tensor: false }).input_ids;

describe('word encoder (token ids of segmented text, cached per word)', function () {
  this.timeout(60_000);

  it('gives the shipped tokenizer’s ids for every model input of the corpus, in both input schemes', async () => {
    const dir = await classifierDirFromManifest('models');
    const read = (f: string): unknown => JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
    const tok = tokenizerOf(read('tokenizer.json'), read('tokenizer_config.json'));
    const encoder = createWordEncoder(tok);
    assert.ok(encoder, 'the fastText tokenizer passes the probes');
    const pipeline = createPipeline({ homeInstitution: { id: 'home', names: ['安泰银行'] } });
    const texts = readFileSync('pipelines/corpus/dev.jsonl', 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .flatMap((l) => {
        const c = (JSON.parse(l) as { conversation: Conversation }).conversation;
        const tokens = pipeline.process(c).tokens;
        const inputs = modelInputs(c, tokens, 'utterance+agent');
        return [...inputs.utterances.map((u) => u.text), inputs.side ?? '', tokens.flat().join('')];
      });
    // the same inputs as words, what the analysis service hands the model
    const words = readFileSync('pipelines/corpus/dev.jsonl', 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .flatMap((l) => {
        const c = (JSON.parse(l) as { conversation: Conversation }).conversation;
        const inputs = modelInputWords(c, pipeline.process(c).tokens, 'utterance+agent');
        return [...inputs.utterances.map((u) => u.words), ...(inputs.side ? [inputs.side] : [])];
      });
    assert.ok(words.length > 1000);
    // twice: the second pass reads the cache
    for (const pass of [1, 2]) {
      const want = reference(tok, texts);
      texts.forEach((t, i) => assert.deepEqual(encoder.encode(t), want[i], `pass ${pass}: "${t}"`));
      const wantWords = reference(
        tok,
        words.map((w) => w.join(' ')),
      );
      words.forEach((w, i) =>
        assert.deepEqual(encoder.encodeWords(w), wantWords[i], `pass ${pass}: ${JSON.stringify(w)}`),
      );
    }
  });

  it('encodes words holding spaces as the joined text splits them', () => {
    const { tokenizer, tokenizerConfig } = buildTokenizerFiles(buildVocabulary(['年费', '太贵', 'ok']), 64);
    const tok = tokenizerOf(tokenizer, tokenizerConfig);
    const encoder = createWordEncoder(tok)!;
    for (const words of [['年费 太贵', 'ok'], ['', '年费'], ['ok ', ' ok'], ['年费']]) {
      assert.deepEqual(
        encoder.encodeWords(words),
        reference(tok, [words.join(' ')])[0],
        JSON.stringify(words),
      );
    }
  });

  it('truncates a text longer than the model maximum exactly as the tokenizer does', () => {
    const { tokenizer, tokenizerConfig } = buildTokenizerFiles(buildVocabulary(['年费', '太贵']), 16);
    const tok = tokenizerOf(tokenizer, tokenizerConfig);
    const encoder = createWordEncoder(tok)!;
    const long = Array.from({ length: 40 }, () => '年费').join(' ');
    assert.equal(encoder.encode(long).length, 16);
    assert.deepEqual(encoder.encode(long), reference(tok, [long])[0]);
  });

  it('refuses a tokenizer that does not treat words independently', () => {
    const { tokenizer, tokenizerConfig } = buildTokenizerFiles(buildVocabulary(['年费']), 64);
    // Metaspace marks the start of each word: words tokenized alone would all look like text starts.
    const metaspace = {
      ...tokenizer,
      pre_tokenizer: { type: 'Metaspace', replacement: '▁', add_prefix_space: true },
    };
    assert.equal(createWordEncoder(tokenizerOf(metaspace, tokenizerConfig)), undefined);
  });
});
