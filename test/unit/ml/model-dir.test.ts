import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ModelDirError,
  REQUIRED_MODEL_FILES,
  hashModelFiles,
  versionOfHashes,
} from '../../../src/ml/model-dir.js';
import {
  lengthChunks,
  loadTransformersClassifier,
  MAX_BATCH_TEXTS,
} from '../../../src/ml/transformers-classifier.js';

async function fakeModelDir(root: string, name: string, without: string[]): Promise<string> {
  const dir = path.join(root, name);
  for (const rel of REQUIRED_MODEL_FILES) {
    if (without.includes(rel)) continue;
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), `{"file": "${rel}"}`);
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

describe('classifier model directory', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'voc-model-dir-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  for (const missing of ['config.json', 'onnx/model.onnx', 'tokenizer.json']) {
    it(`refuses a directory without ${missing}, naming it`, async () => {
      const dir = await fakeModelDir(root, `no-${missing.replace('/', '-')}`, [missing]);
      await assert.rejects(loadTransformersClassifier(dir), (err: unknown) => {
        assert.ok(err instanceof ModelDirError);
        assert.deepEqual(err.missing, [missing]);
        assert.match(err.message, new RegExp(`missing ${missing.replace('.', '\\.')}`));
        assert.ok(err.message.includes(dir));
        return true;
      });
    });
  }

  it('names every missing file at once', async () => {
    const dir = await fakeModelDir(root, 'empty', [...REQUIRED_MODEL_FILES]);
    await assert.rejects(
      loadTransformersClassifier(dir),
      /missing config\.json, tokenizer\.json, tokenizer_config\.json, onnx\/model\.onnx/,
    );
  });

  it('wraps a load failure (files present but unreadable) in an error naming the directory', async () => {
    const dir = await fakeModelDir(root, 'garbage', []);
    await assert.rejects(loadTransformersClassifier(dir), (err: unknown) => {
      assert.ok(err instanceof ModelDirError);
      assert.ok(err.message.startsWith(`Could not load the classifier model in ${dir}: `), err.message);
      return true;
    });
  });

  it('refuses a directory that does not exist', async () => {
    await assert.rejects(
      loadTransformersClassifier(path.join(root, 'nope')),
      /model directory not found: .*nope/,
    );
  });

  it('versions a directory by the content of its files', async () => {
    const a = await fakeModelDir(root, 'a', []);
    const b = await fakeModelDir(root, 'b', []);
    const va = versionOfHashes(await hashModelFiles(a));
    assert.match(va, /^[0-9a-f]{12}$/);
    assert.equal(versionOfHashes(await hashModelFiles(b)), va, 'same bytes, other directory: same version');
    await writeFile(path.join(b, 'config.json'), '{"changed": true}');
    assert.notEqual(versionOfHashes(await hashModelFiles(b)), va);
  });
});

describe('classifier batching', () => {
  it('groups texts by length, bounds each batch and covers every text once', () => {
    const long = Array.from({ length: 9000 }, () => '字').join(' ');
    const texts = ['a', long, 'b c', ...Array.from({ length: 600 }, (_, i) => `t${i}`), long];
    const chunks = lengthChunks(texts);
    assert.deepEqual(
      chunks.flat().sort((x, y) => x - y),
      texts.map((_, i) => i),
    );
    for (const chunk of chunks) {
      assert.ok(chunk.length <= MAX_BATCH_TEXTS);
      if (chunk.includes(1)) assert.deepEqual(chunk, [1], 'a 9000-word text is batched alone');
    }
    assert.deepEqual(lengthChunks([]), []);
  });
});
