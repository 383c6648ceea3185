/**
 * `voc corrections export` writes the evaluation format, and `npm run evaluate -- --corrections <file>`
 * scores the engine on it without touching docs/EVALUATION.md (embedded store, real CLI processes).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { exitOf, spawnVoc } from '../helpers/spawn-voc.js';
import { eventually, startTestService, type TestService } from '../helpers/test-service.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('corrections export and evaluation (embedded)', function () {
  let svc: TestService;
  /** The needs the engine found, and one it did not, which the analyst adds. */
  let engineNeeds: string[];
  let missed: string;
  before(async () => {
    svc = await startTestService('embedded');
    const upload = await svc.request('/v1/conversations', {
      role: 'ingest',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        ['exp-1', 'exp-2', 'exp-3'].map((id) => ({
          id,
          channel: 'chat',
          startedAt: '2026-10-20T09:00:00+08:00',
          utterances: [
            { speaker: 'agent', text: '您好' },
            // The number in an utterance of its own: the utterance model scores whole utterances, and
            // 「年费太贵了，我手机号…」 reads to it as service talk (a known weakness, docs/EVALUATION.md)
            { speaker: 'customer', text: '你们的信用卡年费太贵了' },
            { speaker: 'customer', text: '我手机号13812345678' },
            { speaker: 'customer', text: '另外我明年就退休了，想问问养老的事' },
          ],
        })),
      ),
    });
    assert.equal(upload.status, 202);
    const store = svc.service.container.stores.conversations;
    await eventually(
      () => store.count(),
      (n) => n === 3,
      60_000,
    );
    engineNeeds = (await store.get('exp-1'))!.analysis.needs;
    missed = ['pension', 'precious_metals', 'car_loan'].find((n) => !engineNeeds.includes(n))!;
    for (const [id, body] of [
      ['exp-1', { utterance: 3, label: `need:${missed}`, action: 'add' }],
      ['exp-2', { utterance: 1, label: 'complaint', action: 'remove' }],
    ] as const) {
      const response = await svc.request(`/v1/conversations/${id}/corrections`, {
        role: 'analyst',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 201, await response.text());
    }
  });
  after(async () => svc?.stop());

  it('exports one line per corrected conversation, then evaluates the engine on the file', async () => {
    const child = spawnVoc(['corrections', 'export'], { DATA_DIR: svc.dataDir, LOG_LEVEL: 'warn' });
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    assert.equal(await exitOf(child), 0, child.output());
    const lines = stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            conversation: { id: string; utterances: { text: string }[] };
            expected: Record<string, unknown>;
          },
      );
    assert.deepEqual(
      lines.map((l) => l.conversation.id),
      ['exp-1', 'exp-2'],
    );
    assert.deepEqual(lines[0]!.expected, {
      complaint: true,
      categories: ['fees'],
      escalation: [],
      competitors: [],
      needs: [...engineNeeds, missed],
      declinedNeeds: [],
      lifeEvents: ['retirement'],
    });
    assert.equal(lines[1]!.expected.complaint, false);
    assert.deepEqual(lines[1]!.expected.categories, []);
    assert.ok(!stdout.includes('13812345678'), 'the stored conversation is the redacted one');
    assert.match(lines[0]!.conversation.utterances[2]!.text, /\*{7}5678/);

    const file = path.join(svc.dataDir, 'corrections.jsonl');
    fs.writeFileSync(file, stdout);
    const report = path.join(ROOT, 'docs/EVALUATION.md');
    const before = fs.statSync(report).mtimeMs;
    const evaluate = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'pipelines/evaluate.ts'), '--corrections', file],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    evaluate.stdout.on('data', (d: Buffer) => (output += d.toString()));
    evaluate.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await exitOf(evaluate);
    // Exit 1 only says a minimum is not met: these conversations are the engine's mistakes.
    assert.ok(code === 0 || code === 1, output);
    const needs = /\| needs \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| (\d+) \|/.exec(output);
    assert.ok(needs, output);
    assert.ok(Number(needs[2]) < 1, `the added need is a miss: ${needs[0]}`);
    assert.match(output, /\| complaint \| 0\.500 \| 1\.000 \| 0\.667 \| 1 \|/);
    assert.match(output, /2 corrected conversations from/);
    assert.equal(fs.statSync(report).mtimeMs, before, 'docs/EVALUATION.md is not written');
  });
});
