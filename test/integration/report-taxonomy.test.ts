/**
 * "Add to taxonomy" for an emerging competitor, on a copy of models/: the name is written into
 * competitors.yaml, the taxonomy reloads, a dry-run re-analysis starts, and the next report no longer
 * lists the name as emerging.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_MODELS_DIR } from '../../src/pipeline/run-pipeline.js';
import { eventually, startTestService, type TestService } from '../helpers/test-service.js';

describe('adding an emerging name to the taxonomy', function () {
  let svc: TestService;
  let models: string;

  before(async () => {
    models = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-models-'));
    for (const dir of ['taxonomy', 'dictionaries', 'offers', 'profiles'])
      if (fs.existsSync(path.join(DEFAULT_MODELS_DIR, dir)))
        fs.cpSync(path.join(DEFAULT_MODELS_DIR, dir), path.join(models, dir), { recursive: true });
    svc = await startTestService('embedded', { MODELS_DIR: models, CLASSIFIER_DIR: 'none' });
    const res = await svc.request('/v1/conversations', {
      role: 'ingest',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          id: 't1',
          channel: 'chat',
          startedAt: '2026-11-03T10:00:00+08:00',
          utterances: [
            { speaker: 'agent', text: '您好' },
            { speaker: 'customer', text: '宁波银行的理财收益比你们高' },
          ],
        },
      ]),
    });
    assert.equal(res.status, 202);
    await eventually(
      () => svc.service.container.stores.conversations.count(),
      (n) => n >= 1,
    );
  });
  after(async () => {
    await svc?.stop();
    if (models) fs.rmSync(models, { recursive: true, force: true });
  });

  const emerging = async (): Promise<string[]> => {
    const res = await svc.request('/v1/reports/competitors?from=2026-11-02&to=2026-11-08', {
      role: 'analyst',
    });
    return (await res.json()).emerging.map((e: { name: string }) => e.name);
  };
  const add = (name: string, role: 'admin' | 'analyst' = 'admin') =>
    svc.request(`/v1/admin/taxonomy/competitor-names?name=${encodeURIComponent(name)}`, {
      role,
      method: 'POST',
    });

  it('writes the name, reloads, starts a dry run, and the name is no longer emerging', async () => {
    assert.deepEqual(await emerging(), ['宁波银行']);
    assert.equal((await add('宁波银行', 'analyst')).status, 403);
    const res = await add('宁波银行');
    assert.equal(res.status, 202);
    const body = await res.json();
    assert.deepEqual(body.added, { id: 'other_bank', name: '宁波银行' });
    assert.equal(body.reanalysis.kind, 'dry-run');
    const yaml = fs.readFileSync(path.join(models, 'taxonomy', 'competitors.yaml'), 'utf8');
    assert.match(yaml, /^ {4}names: \[宁波银行, 恒生银行,/m);
    assert.equal(
      yaml.replace('宁波银行, ', ''),
      fs.readFileSync(path.join(DEFAULT_MODELS_DIR, 'taxonomy', 'competitors.yaml'), 'utf8'),
      'the rest of the file is untouched',
    );
    assert.deepEqual(await emerging(), []);
    await eventually(
      async () => (await (await svc.request('/v1/admin/reanalysis')).json()).state,
      (state) => state !== 'running',
      60_000,
    );
  });

  it('refuses names that are known or are not names', async () => {
    const known = await add('招商银行');
    assert.equal(known.status, 400);
    assert.match(JSON.stringify(await known.json()), /already in the taxonomy/);
    assert.equal((await add('a')).status, 400);
    assert.equal((await add('某某银行<script>')).status, 400);
  });
});
