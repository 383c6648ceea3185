import assert from 'node:assert/strict';
import { compileNamePattern } from '../../../../src/ingest/metadata/name-pattern.js';

describe('file-name pattern', () => {
  it("reads the issue's example: date, time, agent and customer", () => {
    const read = compileNamePattern('{date:yyyyMMdd}_{time:HHmmss}_{agentId}_{customerId}');
    assert.deepEqual(read('exports/20261101_093012_a-023_cust-88231.json'), {
      startedAt: '2026-11-01T09:30:12+08:00',
      agentId: 'a-023',
      customerId: 'cust-88231',
    });
  });

  it('reads ids, a channel, ignored parts, two-digit years and milliseconds', () => {
    const read = compileNamePattern('{channel}-{*}-{id}@{datetime:yy-MM-dd HH.mm.ss.SSS}');
    assert.deepEqual(read('chat-vendorx-S1@26-11-01 23.59.58.250.csv'), {
      channel: 'chat',
      id: 'S1',
      startedAt: '2026-11-01T23:59:58.250+08:00',
    });
  });

  it('does not match a name of another shape, nor a date that does not exist', () => {
    const read = compileNamePattern('{date:yyyyMMdd}_{agentId}');
    assert.equal(read('call-1.json'), undefined);
    assert.equal(read('20261301_a-1.json'), undefined);
    assert.deepEqual(read('20261101_a-1.json'), { startedAt: '2026-11-01T00:00:00+08:00', agentId: 'a-1' });
  });

  it('refuses a wrong pattern, saying what is wrong', () => {
    assert.throws(() => compileNamePattern('{agent}'), /unknown placeholder \{agent\}/);
    assert.throws(() => compileNamePattern('{date:yyyyMMddq}'), /unknown letter "q"/);
    assert.throws(() => compileNamePattern('{time:HHmmss}'), /a time needs its date/);
    assert.throws(() => compileNamePattern('plain.json'), /at least one placeholder/);
    assert.throws(() => compileNamePattern('{date:yyyyMMdd}{date:yyyy}'), /yyyy appears twice/);
  });
});
