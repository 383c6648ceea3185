/**
 * Embedded mode, the worst case: the API and the worker share one process, so everything a
 * large upload sets off (decoding, parsing, redaction, then segmentation, rules, the ONNX model and
 * indexing of each queued batch) must leave the event loop free to answer. What is asserted is the
 * event-loop delay this process measured in itself (monitorEventLoopDelay, the service runs in the
 * test's process), not a wall-clock time: inline analysis holds the loop for seconds in one stretch
 * (its awaits resolve as microtasks; 132 s for a 50 MB upload, see README "Large uploads"), while
 * with the analysis in the pool's child processes (the default) and the store written a few
 * conversations at a time the longest stall is tens of milliseconds (the bound leaves room for a
 * loaded shared machine). Where each chunk was analysed is counted too: all in the pool, none here;
 * and where the store wrote: every conversation through its write thread (storage/sqlite/
 * write-thread.ts), whose commits, FTS5 merges and checkpoints were the remaining 100-250 ms stalls.
 * Response times proper are measured by `npm run bench:upload`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AnalysisPool } from '../../src/analysis/analysis-pool.js';
import { AnalysisService } from '../../src/analysis/analysis-service.js';
import { DEFAULT_MODELS_DIR } from '../../src/pipeline/run-pipeline.js';
import { WriteThread } from '../../src/storage/sqlite/write-thread.js';
import type { Conversation } from '../../src/domain/conversation.js';
import { startTestService, type TestService } from '../helpers/test-service.js';

const MAX_LOOP_DELAY_MS = 1000;

function conversation(prefix: string, n: number): Conversation {
  return {
    id: `${prefix}-${n}`,
    channel: 'call',
    startedAt: '2026-11-01T10:00:00+08:00',
    utterances: [
      { speaker: 'agent', text: '您好，这里是客服中心，请问有什么可以帮您' },
      {
        speaker: 'customer',
        text: `我的信用卡年费怎么又扣了，我的手机号是1381234${String(n % 10000).padStart(4, '0')}`,
      },
      { speaker: 'agent', text: '您好，我帮您查询一下年费减免的达标情况，请稍等' },
      { speaker: 'customer', text: '再这样我就把卡销了，去招行办一张，你们的服务太差了，等了半个小时才接通' },
    ],
  };
}

describe('a large upload leaves the event loop free, analysis included (embedded)', function () {
  let svc: TestService;
  let models: string;
  before(async () => {
    // A copy: the threads and the main thread must read the same taxonomy while others edit models/.
    models = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-models-'));
    fs.cpSync(DEFAULT_MODELS_DIR, models, { recursive: true });
    svc = await startTestService('embedded', { MODELS_DIR: models }); // the default pool
  });
  after(async () => {
    await svc?.stop();
    fs.rmSync(models, { recursive: true, force: true });
  });

  async function drained(jobs: number): Promise<void> {
    for (;;) {
      const depth = await svc.service.container.queue.depth();
      assert.equal(depth.failed, 0, 'an ingest job failed');
      if (depth.completed >= jobs) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('parses, redacts, analyses and indexes a 2.5 MB file and a 1.5 MB JSON body without stalling the loop', async () => {
    const file = Buffer.from(
      Array.from({ length: 5000 }, (_, n) => JSON.stringify(conversation('file', n))).join('\n'),
    );
    const body = Buffer.from(JSON.stringify(Array.from({ length: 3000 }, (_, n) => conversation('json', n))));
    assert.ok(file.length > 2_500_000 && body.length > 1_500_000, `${file.length}, ${body.length} bytes`);
    // Where the chunks are analysed, counted (not timed): in the pool's processes, none in this one.
    const counted = { pool: 0, here: 0, writtenInThread: 0 };
    const threadWrite = WriteThread.prototype.write;
    WriteThread.prototype.write = function (this: WriteThread, docs) {
      counted.writtenInThread += docs.length;
      return threadWrite.call(this, docs);
    };
    const poolAnalyse = AnalysisPool.prototype.analyseMany;
    const hereAnalyse = AnalysisService.prototype.analyseMany;
    AnalysisPool.prototype.analyseMany = function (this: AnalysisPool, c) {
      counted.pool++;
      return poolAnalyse.call(this, c);
    };
    AnalysisService.prototype.analyseMany = function (this: AnalysisService, c) {
      counted.here++;
      return hereAnalyse.call(this, c);
    };
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)]), 'night.ndjson');
    const [fromFile, fromJson] = await Promise.all([
      svc.request('/v1/conversations', { role: 'ingest', method: 'POST', body: form }),
      svc.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Uint8Array(body),
      }),
    ]);
    const answers = [await fromFile.json(), await fromJson.json()] as { accepted: number; jobs: unknown[] }[];
    assert.equal(fromFile.status, 202, JSON.stringify(answers[0]).slice(0, 300));
    assert.equal(fromJson.status, 202, JSON.stringify(answers[1]).slice(0, 300));
    assert.deepEqual(
      answers.map((a) => a.accepted),
      [5000, 3000],
    );
    try {
      await drained(answers[0]!.jobs.length + answers[1]!.jobs.length);
    } finally {
      AnalysisPool.prototype.analyseMany = poolAnalyse;
      AnalysisService.prototype.analyseMany = hereAnalyse;
      WriteThread.prototype.write = threadWrite;
    }
    loop.disable();
    const stalled = loop.max / 1e6;
    // 8,000 conversations in chunks of at most 100: at least 80 chunks, each sent to the pool.
    assert.ok(counted.pool >= 80, `${counted.pool} chunks went to the analysis pool`);
    assert.equal(counted.here, 0, 'chunks were analysed on the event loop of the API process');
    assert.equal(counted.writtenInThread, 8000, 'conversations were written on the event loop');

    const { container } = svc.service;
    assert.equal(await container.stores.conversations.count(), 8000);
    // The threads' analysis is the one the main thread would have made, versions included.
    const stored = (await container.stores.conversations.get('json-7'))!;
    assert.doesNotMatch(JSON.stringify(stored.conversation), /13812340007/);
    const inline = await container.analysis();
    const [expected] = await inline.analyseMany([stored.conversation]);
    assert.deepEqual(stored.analysis, expected!.analysis);
    assert.deepEqual(stored.versions, inline.versions);
    assert.notEqual(stored.versions.model, 'none');
    assert.ok(
      stalled < MAX_LOOP_DELAY_MS,
      `the event loop stalled for ${Math.round(stalled)} ms in one stretch during the upload`,
    );
  });

  it('refuses a large JSON body that is not valid UTF-8 with the byte offset, decoded off the loop', async () => {
    const body = Buffer.from(JSON.stringify(Array.from({ length: 2500 }, (_, n) => conversation('bad', n))));
    body[1_200_000] = 0xff;
    const response = await svc.request('/v1/conversations', {
      role: 'ingest',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array(body),
    });
    const text = await response.text();
    assert.equal(response.status, 400, text);
    const error = (JSON.parse(text) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'invalid_encoding');
    assert.match(error.message, /byte 1200000/);
  });
});
