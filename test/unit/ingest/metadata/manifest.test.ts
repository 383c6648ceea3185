import assert from 'node:assert/strict';
import { ParseFormatError } from '../../../../src/ingest/formats/index.js';
import { parseManifest } from '../../../../src/ingest/metadata/manifest.js';

describe('manifest', () => {
  it('reads a CSV row per file, by base name, times without offset as China Standard Time', () => {
    const m = parseManifest(
      'file,id,startedAt,channel,agentId,customerId,speakers\n' +
        'night/a.json,C-1,2026-11-01 09:30:12,call,a-023,cust-88231,"0:agent,1:customer"\n' +
        'b.json,,,,,,\n',
      'manifest.csv',
    );
    assert.deepEqual(m.issues, []);
    assert.deepEqual(m.rows.get('a.json'), {
      where: 'manifest.csv line 2',
      file: 'night/a.json',
      id: 'C-1',
      startedAt: '2026-11-01T09:30:12+08:00',
      channel: 'call',
      agentId: 'a-023',
      customerId: 'cust-88231',
      speakers: { '0': 'agent', '1': 'customer' },
    });
    assert.deepEqual(m.rows.get('b.json'), { where: 'manifest.csv line 3', file: 'b.json' });
  });

  it('reads JSON (an array or {files}), numbers as ids and a speakers object', () => {
    const m = parseManifest(
      JSON.stringify({
        files: [
          {
            file: 'a.json',
            customerId: 88231,
            startedAt: '2026-11-01T09:30:12+08:00',
            speakers: { spk_0: 'customer' },
          },
        ],
      }),
      'manifest.json',
    );
    assert.deepEqual(m.rows.get('a.json'), {
      where: 'manifest.json $.files[0]',
      file: 'a.json',
      customerId: '88231',
      startedAt: '2026-11-01T09:30:12+08:00',
      speakers: { spk_0: 'customer' },
    });
  });

  it('reads tab-separated files and other spellings of the columns', () => {
    const m = parseManifest(Buffer.from('File Name\tStart_Time\nx.json\t2026/11/01 08:00\n'), 'm.tsv');
    assert.equal(m.rows.get('x.json')?.startedAt, '2026-11-01T08:00:00+08:00');
  });

  it('refuses the file of a wrong row and a listed-twice file, naming line and column', () => {
    const m = parseManifest(
      'file,startedAt,channel,speakers\na.json,2026-13-01 10:00,call,\nb.json,,phone,\nc.json,,,0:boss\nd.json\nd.json\n',
      'm.csv',
    );
    assert.deepEqual(
      m.issues.map((i) => `${i.where}: ${i.message.split(':')[0]}`),
      [
        'm.csv line 2: startedAt',
        'm.csv line 3: channel',
        'm.csv line 4: speakers',
        'm.csv line 6: file "d.json" is already listed (m.csv line 5)',
      ],
    );
    assert.deepEqual([...m.rows.keys()], []);
    assert.deepEqual([...m.refused.keys()].sort(), ['a.json', 'b.json', 'c.json', 'd.json']);
  });

  it('is unusable without a file column or as broken JSON', () => {
    assert.throws(
      () => parseManifest('name,time\na,b\n', 'm.csv'),
      (err: ParseFormatError) => {
        assert.match(err.issues[0]!.message, /header row naming the columns file, id, startedAt/);
        return true;
      },
    );
    assert.throws(() => parseManifest('[{"file": ', 'm.json'), /not valid JSON/);
    assert.throws(
      () => parseManifest('{"rows": []}', 'm.json'),
      /expected a CSV with a header row or a JSON array/,
    );
  });
});
