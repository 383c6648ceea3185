import assert from 'node:assert/strict';
import { parseManifest } from '../../../src/ingest/metadata/manifest.js';
import { compileNamePattern } from '../../../src/ingest/metadata/name-pattern.js';
import { parseUploadedFiles } from '../../../src/ingest/upload-files.js';

const RECEIVED = '2026-12-05T19:00:00+08:00';
const aliyun = JSON.stringify({
  TaskId: 'task-1',
  Result: {
    Sentences: [
      { BeginTime: 0, EndTime: 900, ChannelId: 0, Text: '您好' },
      { BeginTime: 1000, EndTime: 2000, ChannelId: 1, Text: '我想问手续费' },
    ],
  },
});
const chat = JSON.stringify({
  sessions: [
    { id: 'S1', messages: [{ time: '2026-11-01 10:00:00', sender: '客户', content: '你好' }] },
    { id: 'S2', messages: [{ sender: '客户', content: '在吗' }] },
  ],
});
const names = (pattern: string) => ({ read: compileNamePattern(pattern), pattern });

describe('parseUploadedFiles: each file with its own facts', () => {
  it('a manifest row states the facts of a one-conversation file, over the file and the name', () => {
    const out = parseUploadedFiles([{ name: '20261101_080000_a-9.json', content: aliyun }], {
      parse: { defaults: { startedAt: '2026-01-01T00:00:00+08:00' } },
      manifest: parseManifest(
        'file,id,startedAt,agentId,speakers\n20261101_080000_a-9.json,C-1,2026-11-01 09:30:00,a-1,"0:customer,1:agent"\n',
        'm.csv',
      ),
      names: names('{date:yyyyMMdd}_{time:HHmmss}_{agentId}'),
      receivedAt: RECEIVED,
    });
    const [c] = out.conversations;
    assert.deepEqual(
      [c?.id, c?.startedAt, c?.startedAtSource, c?.agentId, c?.utterances.map((u) => u.speaker)],
      ['C-1', '2026-11-01T09:30:00+08:00', 'manifest', 'a-1', ['customer', 'agent']],
    );
    assert.deepEqual(out.warnings, []);
  });

  it('the name fills what the file lacks; the received time is the last resort, marked', () => {
    const out = parseUploadedFiles(
      [
        { name: '20261101_080000_a-9.json', content: aliyun },
        { name: 'other.json', content: aliyun.replace('task-1', 'task-2') },
      ],
      { parse: {}, names: names('{date:yyyyMMdd}_{time:HHmmss}_{agentId}'), receivedAt: RECEIVED },
    );
    assert.deepEqual(
      out.conversations.map((c) => [c.id, c.startedAt, c.startedAtSource, c.agentId]),
      [
        ['task-1', '2026-11-01T08:00:00+08:00', 'name', 'a-9'],
        ['task-2', RECEIVED, 'received', undefined],
      ],
    );
    assert.deepEqual(
      out.warnings.map((w) => w.where),
      ['other.json'],
    );
    assert.equal(out.fileOf.get(out.conversations[1]!), 'other.json');
  });

  it('in a file of several conversations the manifest only fills gaps', () => {
    const out = parseUploadedFiles([{ name: 'chat.json', content: chat }], {
      parse: {},
      manifest: parseManifest('file,id,startedAt,agentId\nchat.json,X,2026-11-02 08:00,a-5\n', 'm.csv'),
      receivedAt: RECEIVED,
    });
    assert.deepEqual(
      out.conversations.map((c) => [c.id, c.startedAt, c.startedAtSource, c.agentId]),
      [
        ['S1', '2026-11-01T10:00:00+08:00', undefined, 'a-5'],
        ['S2', '2026-11-02T08:00:00+08:00', 'manifest', 'a-5'],
      ],
    );
  });

  it('without a received time, a file with no time is refused as before (voc convert)', () => {
    const out = parseUploadedFiles([{ name: 'x.json', content: aliyun }], { parse: {} });
    assert.equal(out.conversations.length, 0);
    assert.match(out.issues[0]!.message, /carries no start time/);
  });

  it('refuses a file whose manifest row is wrong, and masks numbers in the names it reports', () => {
    const out = parseUploadedFiles(
      [
        { name: 'a.json', content: aliyun },
        { name: 'call-13812345678.json', content: aliyun },
      ],
      { parse: {}, manifest: parseManifest('file,channel\na.json,phone\n', 'm.csv'), receivedAt: RECEIVED },
    );
    assert.deepEqual(
      out.issues.map((i) => i.where),
      ['m.csv line 2', 'a.json'],
    );
    assert.match(out.issues[1]!.message, /refused: its manifest row \(m.csv line 2\) is wrong: channel/);
    assert.deepEqual(
      out.warnings.map((w) => w.where),
      ['call-*******5678.json'],
    );
  });
});
