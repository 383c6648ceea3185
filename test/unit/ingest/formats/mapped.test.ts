import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ParseFormatError, parseUpload } from '../../../../src/ingest/formats/index.js';
import { parseMapping } from '../../../../src/ingest/metadata/mapping.js';

const DIR = path.resolve(import.meta.dirname, '../../../fixtures/mapping');
const read = (name: string) => fs.readFileSync(path.join(DIR, name));

describe('mapped (any other chat export, through a mapping file)', () => {
  it('reads a JSON export with nested fields, epoch milliseconds and speaker codes', () => {
    const mapping = parseMapping(read('im-export.mapping.yaml'), 'im-export.mapping.yaml');
    const result = parseUpload(read('im-export.json'), { filename: 'im-export.json', mapping });
    assert.equal(result.format, 'mapped');
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.conversations.map((c) => [
        c.id,
        c.startedAt,
        c.customerId,
        c.agentId,
        c.utterances.map((u) => u.speaker),
      ]),
      [
        ['S-20261103-01', '2026-11-04T10:00:00+08:00', 'v-5521', 'a-0217', ['customer', 'agent', 'customer']],
        ['S-20261103-02', '2026-11-04T11:00:00+08:00', 'v-6310', undefined, ['system', 'customer']],
      ],
    );
  });

  it('reads a CSV export by column names; role words need no roles table', () => {
    const mapping = parseMapping(read('ticket-export.mapping.yaml'), 'm.yaml');
    const result = parseUpload(read('ticket-export.csv'), { filename: 'ticket-export.csv', mapping });
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.conversations.map((c) => [
        c.id,
        c.startedAt,
        c.utterances.map((u) => `${u.speaker}: ${u.text}`),
      ]),
      [
        [
          'T-88',
          '2026-11-03T15:00:00+08:00',
          ['customer: 信用卡还款日能不能改', 'agent: 可以的，每年可以修改一次还款日'],
        ],
      ],
    );
  });

  it('says where the messages are not, and which speaker values have no role', () => {
    const mapping = parseMapping('records: data.list\ntext: t\nspeaker: s\n', 'm.yaml');
    assert.throws(
      () => parseUpload('{"data":{"items":[]}}', { filename: 'x.json', mapping }),
      (err: ParseFormatError) => /x\.json \$\.data\.list/.test(err.issues[0]!.where),
    );
    const result = parseUpload(
      JSON.stringify({
        data: {
          list: [
            { t: '你好', s: 'A' },
            { t: '您好', s: 'B' },
          ],
        },
      }),
      { filename: 'x.json', mapping, defaults: { startedAt: '2026-11-01T10:00:00+08:00' } },
    );
    assert.match(result.issues[0]!.message, /skipped messages of sender "A": expected a role/);
  });

  it('refuses a mapping that is wrong, naming each problem', () => {
    assert.throws(
      () => parseMapping('text: content\nroles: { "1": boss }\ncolour: red\n', 'm.yaml'),
      (err: ParseFormatError) => {
        const text = err.issues.map((i) => `${i.where}: ${i.message}`).join('\n');
        assert.match(text, /m\.yaml speaker: /);
        assert.match(text, /m\.yaml roles\.1: expected one of agent, customer, system/);
        assert.match(text, /unknown key\(s\) colour/);
        return true;
      },
    );
    assert.throws(() => parseMapping('text: [', 'm.yaml'), /not valid YAML/);
  });
});
