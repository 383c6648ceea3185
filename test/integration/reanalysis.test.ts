import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateConversations } from '../../pipelines/demo-data/generate.js';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

const MODELS = path.resolve(import.meta.dirname, '..', '..', 'models');
const NEW_PRODUCT = '鑫享存';

interface Status {
  state: string;
  scanned: number;
  rewritten: number;
  report?: { labels: { label: string; gained: number; lost: number; examples: { gained: string[] } }[] };
}

for (const mode of ['distributed', 'embedded'] as Mode[]) {
  describe(`re-analysis after a taxonomy change (${mode})`, function () {
    let svc: TestService;
    let modelsDir: string;
    before(async () => {
      modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-models-'));
      fs.cpSync(MODELS, modelsDir, { recursive: true });
      // The rules alone: this is about a taxonomy edit reaching stored conversations. With the
      // utterance model on, 「我想买点鑫享存」 already scores as a precious-metals need before the edit
      // (the model guesses from 鑫), which would blur what the edit changed.
      svc = await startTestService(mode, { MODELS_DIR: modelsDir, CLASSIFIER_DIR: 'none' });
    });
    after(async () => {
      await svc?.stop();
      fs.rmSync(modelsDir, { recursive: true, force: true });
    });

    it('reports the change in a dry run, then relabels every conversation while search keeps answering', async () => {
      const mentions = Array.from({ length: 20 }, (_, i) => ({
        id: `xin-${i}`,
        channel: 'call',
        startedAt: '2026-10-03T10:00:00+08:00',
        utterances: [
          { speaker: 'agent', text: '您好请问有什么可以帮您' },
          { speaker: 'customer', text: `我想买点${NEW_PRODUCT}` },
        ],
      }));
      const conversations = [...generateConversations({ count: 600, seed: 5 }), ...mentions];
      const upload = await svc.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(conversations),
      });
      assert.equal(upload.status, 202);
      const store = svc.service.container.stores.conversations;
      await eventually(
        async () => (await store.refresh(), store.count()),
        (n) => n === conversations.length,
        60_000,
      );
      assert.deepEqual((await store.get('xin-0'))?.analysis.needs, [], 'unknown before the change');
      const oldVersion = (await store.get('xin-0'))!.versions.taxonomy;

      // The analyst edits the taxonomy file and reloads it.
      const needs = path.join(modelsDir, 'taxonomy', 'needs.yaml');
      fs.writeFileSync(
        needs,
        fs
          .readFileSync(needs, 'utf8')
          .replace('  deposit:\n    terms: [', `  deposit:\n    terms: [${NEW_PRODUCT}, `),
      );
      const reload = await svc.request('/v1/admin/taxonomy/reload', { method: 'POST' });
      assert.equal(reload.status, 200);
      const newVersion = ((await reload.json()) as { versions: { taxonomy: string } }).versions.taxonomy;
      assert.notEqual(newVersion, oldVersion);

      assert.equal((await svc.request('/v1/admin/reanalysis?dryRun=true', { method: 'POST' })).status, 202);
      const dry = await eventually(
        async () => (await (await svc.request('/v1/admin/reanalysis')).json()) as Status,
        (s) => s.state !== 'running',
        120_000,
      );
      assert.equal(dry.state, 'completed', JSON.stringify(dry));
      const deposit = dry.report!.labels.find((l) => l.label === 'need:deposit');
      assert.equal(deposit?.gained, 20, JSON.stringify(dry.report!.labels.slice(0, 5)));
      assert.match(deposit!.examples.gained[0]!, /^xin-/);
      assert.equal((await store.get('xin-0'))?.analysis.needs.length, 0, 'a dry run writes nothing');

      // Run it for real while an analyst keeps searching.
      const baseline = (await (await svc.request('/v1/search?limit=1', { role: 'analyst' })).json()) as {
        total: number;
      };
      let searching = true;
      const answers: number[] = [];
      const totals = new Set<number>();
      const searcher = (async () => {
        while (searching) {
          const response = await svc.request('/v1/search?limit=5', { role: 'analyst' });
          answers.push(response.status);
          if (response.ok) totals.add(((await response.json()) as { total: number }).total);
        }
      })();
      assert.equal((await svc.request('/v1/admin/reanalysis', { method: 'POST' })).status, 202);
      const done = await eventually(
        async () => (await (await svc.request('/v1/admin/reanalysis')).json()) as Status,
        (s) => s.state !== 'running',
        180_000,
      );
      searching = false;
      await searcher;
      assert.equal(done.state, 'completed', JSON.stringify(done));
      assert.equal(done.scanned, conversations.length);
      assert.ok(
        answers.length > 0 && answers.every((s) => s === 200),
        `searches answered ${[...new Set(answers)]}`,
      );
      assert.deepEqual([...totals], [baseline.total], 'search never saw a partial index');

      await store.refresh();
      for (const c of conversations) {
        const doc = await store.get(c.id);
        assert.equal(doc?.versions.taxonomy, newVersion, `${c.id} carries the new version`);
      }
      assert.deepEqual((await store.get('xin-7'))?.analysis.needs, ['deposit']);
    });
  });
}
