import assert from 'node:assert/strict';
import {
  clockToMs,
  joinWords,
  normaliseText,
  parseTimestamp,
  secondsToMs,
} from '../../../../src/ingest/formats/text-utils.js';

describe('text and time helpers', () => {
  it('removes spaces between CJK characters but keeps them between Latin words', () => {
    assert.equal(normaliseText('  您 好 ， 我 的  Visa 卡\u200b 被 锁 了 \n'), '您好，我的 Visa 卡被锁了');
  });

  it('joins ASR words with a space only between Latin words or numbers', () => {
    assert.equal(
      ['我', '想', '用', 'Apple', 'Pay', '，', '5', '万'].reduce(joinWords, ''),
      '我想用Apple Pay，5万',
    );
  });

  it('reads clock times and seconds', () => {
    assert.equal(clockToMs('01:02:03,500'), 3723500);
    assert.equal(clockToMs('02:03.5'), 123500);
    assert.equal(clockToMs('1:99'), undefined);
    assert.equal(secondsToMs('4.87'), 4870);
    assert.equal(secondsToMs(-1), undefined);
  });

  it('reads absolute times: ISO kept, local times as China Standard Time, epochs', () => {
    assert.deepEqual(parseTimestamp('2026-11-01T10:00:00Z'), {
      iso: '2026-11-01T10:00:00Z',
      ms: Date.parse('2026-11-01T10:00:00Z'),
    });
    assert.equal(parseTimestamp('2026/11/01 10:00:05')?.iso, '2026-11-01T10:00:05+08:00');
    assert.equal(parseTimestamp('2026-11-01 10:00:05.250')?.iso, '2026-11-01T10:00:05.250+08:00');
    assert.equal(parseTimestamp(1794016800)?.iso, '2026-11-07T10:00:00+08:00');
    assert.equal(parseTimestamp('1794016800000')?.iso, '2026-11-07T10:00:00+08:00');
    for (const bad of ['2026-02-30 10:00', '2026-13-01T00:00:00+08:00', 'yesterday', '', null, 12]) {
      assert.equal(parseTimestamp(bad), undefined, String(bad));
    }
  });
});
