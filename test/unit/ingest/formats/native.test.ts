import assert from 'node:assert/strict';
import { ParseFormatError, validateNativeConversation } from '../../../../src/ingest/formats/index.js';
import { fixture, parseFixture, parseText } from './fixture.js';

const good = {
  id: 'c-1',
  channel: 'call',
  startedAt: '2026-11-01T10:00:00+08:00',
  utterances: [{ speaker: 'customer', text: '你们的年费太贵了' }],
};

describe('native JSON and NDJSON', () => {
  it('reads an array of conversations as they are', () => {
    const result = parseFixture('native.json');
    assert.equal(result.format, 'native-json');
    assert.deepEqual(result.issues, []);
    assert.deepEqual(result.conversations, JSON.parse(fixture('native.json').toString('utf8')));
  });

  it('reads NDJSON, skipping blank lines', () => {
    const result = parseFixture('native.ndjson');
    assert.equal(result.format, 'native-ndjson');
    assert.deepEqual(
      result.conversations.map((c) => c.id),
      ['c-20261102-0101', 'c-20261102-0102'],
    );
    assert.deepEqual(result.issues, []);
  });

  it('keeps the good items of a batch and names the path and the expectation for each bad one', () => {
    const batch = [
      good,
      { ...good, id: 'c-2', utterances: [{ speaker: 'cust', text: '你好' }] },
      { ...good, id: '', startedAt: '2026-11-01 10:00' },
      { ...good, id: 'c-4', utterances: [] },
      { ...good, id: 'c-5', utterances: [{ speaker: 'agent', text: 3, startMs: 500, endMs: 100 }] },
    ];
    const result = parseText(JSON.stringify(batch), 'upload.json');
    assert.deepEqual(
      result.conversations.map((c) => c.id),
      ['c-1'],
    );
    assert.deepEqual(result.issues, [
      {
        where: 'upload.json $[1].utterances[0].speaker',
        message: 'expected one of agent|customer|system, got "cust"',
      },
      { where: 'upload.json $[2].id', message: 'expected a non-empty string, got ""' },
      {
        where: 'upload.json $[2].startedAt',
        message:
          'expected an ISO 8601 date-time with offset, e.g. 2026-11-01T10:00:00+08:00, got "2026-11-01 10:00"',
      },
      { where: 'upload.json $[3].utterances', message: 'expected at least one utterance, got an array of 0' },
      { where: 'upload.json $[4].utterances[0].text', message: 'expected string, got 3' },
    ]);
  });

  it('reports a missing field, an over-long id and endMs before startMs', () => {
    const { issues } = validateNativeConversation(
      {
        id: 'x'.repeat(201),
        startedAt: good.startedAt,
        utterances: [{ speaker: 'agent', text: '好', startMs: 900, endMs: 100 }],
      },
      '$[0]',
    );
    assert.deepEqual(issues, [
      { where: '$[0].id', message: `expected at most 200 characters, got "${'x'.repeat(56)}..."` },
      { where: '$[0].channel', message: 'missing: expected one of call|chat' },
      { where: '$[0].utterances[0].endMs', message: 'expected endMs >= startMs, got 100' },
    ]);
  });

  it('drops unknown keys and null optional ids', () => {
    const { conversation, issues } = validateNativeConversation({ ...good, customerId: null, extra: 1 }, '$');
    assert.deepEqual(issues, []);
    assert.deepEqual(conversation, good);
  });

  it('names the NDJSON line of a bad JSON line and of a bad field', () => {
    const text = [JSON.stringify(good), '{"id": "c-2",', JSON.stringify({ ...good, channel: 'email' })].join(
      '\n',
    );
    const result = parseText(text, 'calls.ndjson');
    assert.equal(result.conversations.length, 1);
    assert.equal(result.issues.length, 2);
    assert.equal(result.issues[0]?.where, 'calls.ndjson line 2');
    assert.match(
      result.issues[0]?.message ?? '',
      /^not valid JSON \(.+\): expected one conversation object per line$/,
    );
    assert.deepEqual(result.issues[1], {
      where: 'calls.ndjson line 3 $.channel',
      message: 'expected one of call|chat, got "email"',
    });
  });

  it('refuses a JSON file that is not JSON, or is neither an object nor a non-empty array', () => {
    for (const text of ['{"id": ', '42', '[]']) {
      assert.throws(
        () => parseText(text, 'upload.json', { format: 'native-json' }),
        (err: unknown) =>
          err instanceof ParseFormatError &&
          /expected a conversation object or an array of them/.test(err.issues[0]?.message ?? ''),
      );
    }
  });
});
