import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createIdPseudonymiser, embeddedIdSecret } from '../../src/ingest/id-pseudonymiser.js';
import { redactText } from '../../src/pipeline/redact/index.js';
import { exitOf, spawnVoc } from '../helpers/spawn-voc.js';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

const COUNT = 1000;
const PATTERN = '{date:yyyyMMdd}_{time:HHmmss}_{agentId}_{customerId}';

/** An Alibaba Cloud filetrans result (no call time in it, as the vendor writes them) for call n. */
function aliyunResult(n: number): string {
  return JSON.stringify({
    TaskId: `task-n${n}`,
    StatusText: 'SUCCESS',
    Result: {
      Sentences: [
        {
          BeginTime: 300,
          EndTime: 2800,
          ChannelId: 0,
          Text: `您好，这里是客服中心，工号${1000 + (n % 50)}为您服务`,
        },
        { BeginTime: 3100, EndTime: 7000, ChannelId: 1, Text: `我想问一下第${n}号账单的分期手续费` },
      ],
    },
  });
}

/** The n-th call of the night: 2026-11-01 20:00 (+08:00) plus n minutes. */
function callTime(n: number): { iso: string; local: string } {
  const ms = Date.parse('2026-11-01T20:00:00+08:00') + n * 60_000;
  const china = new Date(ms + 8 * 3600_000).toISOString();
  return { iso: `${china.slice(0, 19)}+08:00`, local: `${china.slice(0, 10)} ${china.slice(11, 19)}` };
}

describe('voc ingest --manifest: a night of vendor files with their own metadata (embedded)', function () {
  let dataDir: string;
  let night: string;
  let env: Record<string, string>;
  let key: string;
  let port: string;
  let server: ReturnType<typeof spawnVoc>;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-manifest-'));
    night = path.join(dataDir, 'night');
    fs.mkdirSync(night);
    env = { DATA_DIR: path.join(dataDir, 'data'), LOG_LEVEL: 'warn' };
    const created = spawnVoc(['keys', 'create', '--role', 'admin'], env);
    let out = '';
    created.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    assert.equal(await exitOf(created), 0, created.output());
    key = out.trim();
    port = String(20000 + Math.floor(Math.random() * 20000));
    server = spawnVoc(['serve'], { ...env, PORT: port });
    await eventually(
      async () =>
        fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.status,
          () => 0,
        ),
      (status) => status === 200,
      120_000, // a shared machine under load starts slowly
    );
  });

  after(async () => {
    server?.kill('SIGTERM');
    if (server) await exitOf(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const get = async (id: string): Promise<Response> =>
    fetch(`http://127.0.0.1:${port}/v1/conversations/${encodeURIComponent(id)}`, {
      headers: { authorization: `Bearer ${key}` },
    });

  it('uploads 1,000 files with their own times, agents and customers; a file with no time anywhere is accepted and flagged', async () => {
    // Row n: call C-n at its own time, agent a-(n mod 37), customer cust-n; customer 7's id is a phone
    // number, which must be stored pseudonymised exactly as an id read from a file would be.
    const rows = ['file,id,startedAt,channel,agentId,customerId,speakers'];
    for (let n = 0; n < COUNT - 1; n++) {
      fs.writeFileSync(path.join(night, `rec-${n}.json`), aliyunResult(n));
      const customer = n === 7 ? '13812345678' : `cust-${n}`;
      rows.push(
        `rec-${n}.json,C-${n},${callTime(n).local},call,a-${n % 37},${customer},"0:agent,1:customer"`,
      );
    }
    // The last file has no time in itself, no manifest row and a name that says nothing; its name
    // holds a phone number, which the answer must not repeat.
    const undated = 'call-13912345678.json';
    fs.writeFileSync(path.join(night, undated), aliyunResult(COUNT));
    fs.writeFileSync(path.join(night, 'manifest.csv'), `${rows.join('\n')}\n`);

    const child = spawnVoc(
      [
        'ingest',
        '--input',
        night,
        '--manifest',
        path.join(night, 'manifest.csv'),
        '--url',
        `http://127.0.0.1:${port}`,
        '--key',
        key,
      ],
      env,
    );
    const code = await exitOf(child, 240_000);
    const output = child.output();
    assert.equal(code, 0, `${output.slice(-3000)}\nserver: ${server.output().slice(-3000)}`);
    assert.match(
      output,
      new RegExp(`${COUNT} conversation\\(s\\) accepted in \\d+ job\\(s\\), 0 rejected, 2 warning\\(s\\)`),
    );
    assert.match(output, /warning call-\*{7}5678\.json: not in the manifest/);
    assert.match(
      output,
      /warning call-\*{7}5678\.json conversation task-n1000: no start time .*startedAtSource "received"/,
    );
    assert.doesNotMatch(output, /13912345678|13812345678/);

    const pseudonymise = createIdPseudonymiser(embeddedIdSecret(env.DATA_DIR!));
    for (let n = 0; n < COUNT - 1; n++) {
      const response = await get(`C-${n}`);
      assert.equal(response.status, 200, `C-${n}`);
      const doc = (await response.json()) as Record<string, unknown> & { utterances: { speaker: string }[] };
      const customer = n === 7 ? pseudonymise('13812345678', redactText('13812345678').text) : `cust-${n}`;
      assert.deepEqual(
        {
          id: doc.id,
          startedAt: doc.startedAt,
          startedAtSource: doc.startedAtSource,
          channel: doc.channel,
          agentId: doc.agentId,
          customerId: doc.customerId,
          speakers: doc.utterances.map((u) => u.speaker),
        },
        {
          id: `C-${n}`,
          startedAt: callTime(n).iso,
          startedAtSource: 'manifest',
          channel: 'call',
          agentId: `a-${n % 37}`,
          customerId: customer,
          speakers: ['agent', 'customer'],
        },
      );
    }
    const doc = (await (await get('task-n1000')).json()) as { startedAt: string; startedAtSource: string };
    assert.equal(doc.startedAtSource, 'received');
    assert.ok(Math.abs(Date.parse(doc.startedAt) - Date.now()) < 3600_000, doc.startedAt);
  });

  it('reads the facts from file names with --name-pattern', async () => {
    const dir = path.join(dataDir, 'named');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '20261101_093012_a-023_cust-88231.json'), aliyunResult(5001));
    fs.writeFileSync(path.join(dir, 'not-matching.json'), aliyunResult(5002));
    const child = spawnVoc(
      [
        'ingest',
        '--input',
        dir,
        '--name-pattern',
        PATTERN,
        '--url',
        `http://127.0.0.1:${port}`,
        '--key',
        key,
      ],
      env,
    );
    assert.equal(await exitOf(child, 120_000), 0, child.output());
    assert.match(child.output(), /warning not-matching\.json: the file name does not match namePattern/);
    const id = 'task-n5001';
    const doc = (await (await get(id)).json()) as Record<string, unknown>;
    assert.deepEqual(
      [doc.startedAt, doc.startedAtSource, doc.agentId, doc.customerId],
      ['2026-11-01T09:30:12+08:00', 'name', 'a-023', 'cust-88231'],
    );
  });

  it('refuses a wrong manifest before uploading anything, naming the line', async () => {
    const dir = path.join(dataDir, 'bad');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'x.json'), aliyunResult(6001));
    fs.writeFileSync(path.join(dir, 'm.csv'), 'file,startedAt\nx.json,2026-13-45 10:00:00\n');
    const child = spawnVoc(
      [
        'ingest',
        '--input',
        dir,
        '--manifest',
        path.join(dir, 'm.csv'),
        '--url',
        `http://127.0.0.1:${port}`,
        '--key',
        key,
      ],
      env,
    );
    assert.equal(await exitOf(child), 1);
    assert.match(child.output(), /m\.csv line 2: startedAt: "2026-13-45 10:00:00" is not a time/);
    assert.match(child.output(), /nothing was uploaded/);
  });
});

for (const mode of ['embedded', 'distributed'] as Mode[]) {
  describe(`POST /v1/conversations with a manifest part and namePattern (${mode})`, function () {
    let svc: TestService;
    before(async () => {
      svc = await startTestService(mode);
    });
    after(async () => svc?.stop());

    const post = async (form: FormData, query = ''): Promise<{ status: number; body: UploadBody }> => {
      const response = await svc.request(`/v1/conversations${query}`, {
        role: 'ingest',
        method: 'POST',
        body: form,
      });
      return { status: response.status, body: (await response.json()) as UploadBody };
    };

    it('takes each file’s facts from the manifest part, the name, or the time received (flagged)', async () => {
      const form = new FormData();
      form.append('file', new Blob([aliyunResult(7001)]), 'rec-7001.json');
      form.append('file', new Blob([aliyunResult(7002)]), '20261102_101500_a-7_cust-7.json');
      form.append('file', new Blob([aliyunResult(7003)]), 'rec-7003.json');
      form.append(
        'manifest',
        new Blob([
          'file,id,startedAt,agentId,customerId\nrec-7001.json,M-7001,2026-11-02 08:00:00,a-1,cust-1\n',
        ]),
        'manifest.csv',
      );
      const { status, body } = await post(form, `?namePattern=${encodeURIComponent(PATTERN)}`);
      assert.equal(status, 202, JSON.stringify(body));
      assert.equal(body.accepted, 3);
      assert.deepEqual(
        body.warnings.map((w) => w.where),
        [
          '20261102_101500_a-7_cust-7.json',
          'rec-7003.json',
          'rec-7003.json',
          'rec-7003.json conversation task-n7003',
        ],
      );
      const facts = async (id: string) => {
        const r = await eventually(
          async () => svc.request(`/v1/conversations/${id}`, { role: 'analyst' }),
          (res) => res.status === 200,
        );
        const doc = (await r.json()) as Record<string, unknown>;
        return [doc.startedAt, doc.startedAtSource, doc.agentId, doc.customerId];
      };
      assert.deepEqual(await facts('M-7001'), ['2026-11-02T08:00:00+08:00', 'manifest', 'a-1', 'cust-1']);
      assert.deepEqual(await facts('task-n7002'), ['2026-11-02T10:15:00+08:00', 'name', 'a-7', 'cust-7']);
      const [startedAt, source] = await facts('task-n7003');
      assert.equal(source, 'received');
      assert.match(String(startedAt), /\+08:00$/);
    });

    it('answers 400 naming the problem for a manifest or a pattern that is wrong as a whole', async () => {
      const form = new FormData();
      form.append('file', new Blob([aliyunResult(7004)]), 'rec-7004.json');
      form.append('manifest', new Blob(['name,time\nx,y\n']), 'm.csv');
      const bad = await post(form);
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /m\.csv line 1.*header row naming the columns file/);
      const form2 = new FormData();
      form2.append('file', new Blob([aliyunResult(7004)]), 'rec-7004.json');
      const pattern = await post(form2, `?namePattern=${encodeURIComponent('{date:yyyy}_{agent}')}`);
      assert.equal(pattern.status, 400);
      assert.match(JSON.stringify(pattern.body), /unknown placeholder \{agent\}/);
    });
  });
}

interface UploadBody {
  accepted: number;
  warnings: { where: string; message: string }[];
}
