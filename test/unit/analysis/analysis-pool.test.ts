import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnalysisPool } from '../../../src/analysis/analysis-pool.js';
import { AnalysisService } from '../../../src/analysis/analysis-service.js';
import type { Conversation } from '../../../src/domain/conversation.js';
import { createPipeline, DEFAULT_MODELS_DIR } from '../../../src/pipeline/run-pipeline.js';

const conversation = (n: number, text: string): Conversation => ({
  id: `c-${n}`,
  channel: 'call',
  startedAt: '2026-11-01T10:00:00+08:00',
  utterances: [
    { speaker: 'agent', text: '您好，请问有什么可以帮您' },
    { speaker: 'customer', text },
  ],
});

const TEXTS = [
  '你们的年费太贵了，我要投诉',
  '招行的信用卡额度比你们高多了，我想换过去',
  '我最近刚买了房，想问问装修贷款',
  '谢谢，没有别的问题了',
];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Rules only (classifierDir 'none'), but each worker still loads onnxruntime-node (transformers.js
// imports it): the addon that aborted this test process when the pool ran worker threads.
describe('AnalysisPool: ingest analysis in child processes (rules only here)', function () {
  this.timeout(300_000);
  const settings = {
    modelsDir: DEFAULT_MODELS_DIR,
    classifierDir: 'none' as const,
    homeInstitution: { id: '', names: [] },
  };
  let pool: AnalysisPool | undefined;
  afterEach(async () => pool?.close());

  it('answers each chunk in order with what this process would compute, chunks spread over two workers', async () => {
    pool = new AnalysisPool(settings, () => undefined, 2);
    const chunks = [0, 1, 2, 3, 4, 5].map((k) => TEXTS.map((t, i) => conversation(k * 10 + i, `${t}${k}`)));
    const results = await Promise.all(chunks.map((c) => pool!.analyseMany(c)));
    assert.equal(pool.pids.length, 2);
    // Background work: the API process's event loop goes first when both want a core.
    for (const pid of pool.pids) assert.equal(os.getPriority(pid), 10);
    const inline = new AnalysisService(createPipeline({ modelsDir: DEFAULT_MODELS_DIR }), undefined);
    for (let k = 0; k < chunks.length; k++) {
      assert.deepEqual(results[k], await inline.analyseMany(chunks[k]!));
    }
    assert.deepEqual(pool.versions, inline.versions);
  });

  it('opens and closes 20 pools one after another, most while their workers load or analyse', async () => {
    const seen = new Set<number>();
    for (let round = 0; round < 20; round++) {
      pool = new AnalysisPool(settings, () => undefined, 2);
      const chunks = [0, 1, 2].map((k) => pool!.analyseMany([conversation(round * 10 + k, TEXTS[k]!)]));
      for (const pid of pool.pids) seen.add(pid);
      if (round % 4 === 0) {
        // Every fourth pool loads and answers (a full load costs seconds of CPU per worker).
        const results = await Promise.all(chunks);
        assert.equal(results.length, 3);
      } else {
        // The rest close at a different moment of their workers' start each time; their chunks
        // fail with a message that says why, nothing waits forever.
        const failed = Promise.allSettled(chunks);
        await new Promise((r) => setTimeout(r, (round % 4) * 150));
        await pool.close();
        for (const outcome of await failed) {
          assert.equal(outcome.status, 'rejected');
          assert.match(String(outcome.reason), /closed/);
        }
      }
      await pool.close();
    }
    assert.equal(seen.size, 40, 'each pool started its own two workers');
    assert.deepEqual([...seen].filter(alive), [], 'a closed pool leaves no worker process behind');
  });

  it('a worker killed mid-chunk fails that chunk only; the next chunk gets a new worker', async () => {
    pool = new AnalysisPool(settings, () => undefined, 1);
    await pool.analyseMany([conversation(1, TEXTS[0]!)]);
    const [first] = pool.pids;
    const many = Array.from({ length: 400 }, (_, n) => conversation(n, TEXTS[n % 4]!.repeat(20)));
    const inFlight = pool.analyseMany(many);
    process.kill(first!, 'SIGKILL');
    await assert.rejects(inFlight, /analysis worker exited \(SIGKILL\)/);
    const [again] = await pool.analyseMany([conversation(2, TEXTS[1]!)]);
    assert.ok(again);
    assert.notEqual(pool.pids[0], first);
  });

  it('follows a reload of this process: the next chunk runs the taxonomy this process runs', async () => {
    const models = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-pool-models-'));
    try {
      for (const dir of ['taxonomy', 'dictionaries'])
        fs.cpSync(path.join(DEFAULT_MODELS_DIR, dir), path.join(models, dir), { recursive: true });
      const main = createPipeline({ modelsDir: models });
      pool = new AnalysisPool({ ...settings, modelsDir: models }, () => main.versions, 1);
      await pool.analyseMany([conversation(1, TEXTS[0]!)]);
      const before = pool.versions.taxonomy;
      assert.equal(before, main.versions.taxonomy);
      const file = path.join(
        models,
        'taxonomy',
        fs.readdirSync(path.join(models, 'taxonomy')).find((f) => f.endsWith('.yaml'))!,
      );
      fs.appendFileSync(file, '\n# edited\n');
      main.reload();
      assert.notEqual(main.versions.taxonomy, before);
      await pool.analyseMany([conversation(2, TEXTS[1]!)]);
      assert.equal(pool.versions.taxonomy, main.versions.taxonomy);
    } finally {
      fs.rmSync(models, { recursive: true, force: true });
    }
  });

  it('fails chunks after close instead of leaving them waiting', async () => {
    pool = new AnalysisPool(settings, () => undefined, 1);
    const pending = assert.rejects(pool.analyseMany([conversation(1, TEXTS[0]!)]), /closed/);
    await pool.close();
    await pending;
    await assert.rejects(pool.analyseMany([conversation(2, TEXTS[1]!)]), /closed/);
  });
});
