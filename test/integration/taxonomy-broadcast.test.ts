import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProcessInfo } from '../../src/control/control-bus.js';
import { eventually, startTestService, type TestService } from '../helpers/test-service.js';

describe('a taxonomy reload reaches every process (distributed)', function () {
  const models = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-models-'));
  const running: TestService[] = [];
  after(async () => {
    for (const s of running.reverse()) await s.stop().catch(() => undefined);
    fs.rmSync(models, { recursive: true, force: true });
  });

  it('reloads in the API that was asked and in another API+worker process; GET /v1/admin/taxonomy shows both', async () => {
    fs.cpSync(path.resolve('models'), models, { recursive: true });
    const env = { MODELS_DIR: models, CLASSIFIER_DIR: 'none' };
    const first = await startTestService('distributed', env);
    running.push(first);
    const second = await startTestService('distributed', env, ['api', 'worker'], {
      dataDir: first.dataDir,
      queuePrefix: first.queuePrefix,
      indexPrefix: first.indexPrefix,
    });
    running.push(second);
    // Searching loads each API's pipeline (it segments the query).
    for (const svc of [first, second])
      assert.equal((await svc.request('/v1/search?q=年费', { role: 'analyst' })).status, 200);

    const before = second.service.container.pipeline().versions.taxonomy;
    fs.appendFileSync(path.join(models, 'taxonomy', 'needs.yaml'), '\n# reviewed by the VoC team\n');
    const response = await first.request('/v1/admin/taxonomy/reload', { method: 'POST' });
    assert.equal(response.status, 200, await response.clone().text());
    const { versions } = (await response.json()) as { versions: { taxonomy: string } };
    assert.notEqual(versions.taxonomy, before);

    await eventually(
      async () => second.service.container.pipeline().versions.taxonomy,
      (v) => v === versions.taxonomy,
    );
    const listed = await eventually(
      async () =>
        ((await (await second.request('/v1/admin/taxonomy')).json()) as { processes: ProcessInfo[] })
          .processes,
      (ps) => ps.length === 2 && ps.every((p) => p.versions?.taxonomy === versions.taxonomy),
    );
    assert.deepEqual(listed.map((p) => p.lastReload?.ok).sort(), [true, true]);

    // An invalid file is refused where it was asked, and nothing is broadcast.
    fs.appendFileSync(path.join(models, 'taxonomy', 'needs.yaml'), '\nneeds: [this is: not valid\n');
    const refused = await first.request('/v1/admin/taxonomy/reload', { method: 'POST' });
    assert.equal(refused.status, 400);
    assert.equal(second.service.container.pipeline().versions.taxonomy, versions.taxonomy);
  });
});
