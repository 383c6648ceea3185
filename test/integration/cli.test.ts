import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exitOf, spawnVoc } from '../helpers/spawn-voc.js';
import { eventually } from '../helpers/test-service.js';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'formats');

async function voc(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; output: string }> {
  const child = spawnVoc(args, env);
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await exitOf(child);
  return { code, stdout, output: child.output() };
}

describe('voc CLI, as a new user runs it (embedded)', function () {
  let dataDir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-cli-'));
    env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('keys create prints the key alone on stdout; list shows it; revoke revokes it', async () => {
    const created = await voc(['keys', 'create', '--role', 'admin', '--name', 'ops'], env);
    assert.equal(created.code, 0, created.output);
    assert.match(created.stdout, /^voc_[\w-]{43}\n$/);
    const listed = await voc(['keys', 'list'], env);
    assert.match(listed.stdout, /\tadmin\tops\t/);
    const id = listed.stdout.split('\t')[0]!;
    assert.equal((await voc(['keys', 'revoke', id], env)).code, 0);
    assert.match((await voc(['keys', 'list'], env)).stdout, /revoked/);
    const bad = await voc(['keys', 'create', '--role', 'boss'], env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.output, /boss.*(ingest|analyst)/s);
  });

  it('convert prints native JSONL with personal numbers masked', async () => {
    const result = await voc(
      [
        'convert',
        '--input',
        path.join(FIXTURES, 'call-transcript.txt'),
        '--started-at',
        '2026-10-01T09:00:00+08:00',
      ],
      env,
    );
    assert.equal(result.code, 0, result.output);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { utterances: { speaker: string }[] });
    assert.ok(lines.length >= 1);
    assert.ok(lines[0]!.utterances.some((u) => u.speaker === 'customer'));
  });

  it('convert names the problem in a bad file', async () => {
    const bad = path.join(dataDir, 'bad.ndjson');
    fs.writeFileSync(bad, '{"id":"a","channel":"call"}\nnot json\n');
    const result = await voc(['convert', '--input', bad], env);
    assert.equal(result.code, 1);
    assert.match(result.output, /bad\.ndjson line 1/);
    assert.match(result.output, /bad\.ndjson line 2/);
  });

  it('rejects a half-configured distributed mode with a clear message', async () => {
    const result = await voc(['keys', 'list'], { ...env, ELASTICSEARCH_URL: 'http://127.0.0.1:9200' });
    assert.equal(result.code, 2);
    assert.match(result.output, /REDIS_URL is not set/);
  });

  it('serve + ingest: a file uploaded with `voc ingest` is searchable within seconds', async () => {
    const key = (await voc(['keys', 'create', '--role', 'admin'], env)).stdout.trim();
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const server = spawnVoc(['serve'], { ...env, PORT: port, LOG_LEVEL: 'info' });
    try {
      await eventually(
        async () =>
          fetch(`http://127.0.0.1:${port}/readyz`).then(
            (r) => r.status,
            () => 0,
          ),
        (status) => status === 200,
        30_000,
      );
      const ingest = await voc(
        [
          'ingest',
          '--input',
          path.join(FIXTURES, 'native.ndjson'),
          '--url',
          `http://127.0.0.1:${port}`,
          '--key',
          key,
        ],
        env,
      );
      assert.equal(ingest.code, 0, ingest.output);
      assert.match(ingest.output, /accepted/);
      const found = await eventually(
        async () =>
          (await (
            await fetch(`http://127.0.0.1:${port}/v1/search?q=${encodeURIComponent('利率')}`, {
              headers: { authorization: `Bearer ${key}` },
            })
          ).json()) as { total: number },
        (body) => body.total > 0,
        10_000,
      );
      assert.ok(found.total > 0);
      assert.match(server.output(), /starting in embedded mode/);
    } finally {
      server.kill('SIGTERM');
      assert.equal(await exitOf(server), 0, server.output());
    }
  });
});
