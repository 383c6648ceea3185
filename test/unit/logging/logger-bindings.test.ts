import assert from 'node:assert/strict';
import { memoryLogger } from '../../helpers/silent-logger.js';

describe('logger child bindings', () => {
  it('masks personal numbers in the bindings of children and grandchildren', async () => {
    const { logger, lines } = memoryLogger('info');
    const child = logger.child({ requestId: 'call-13812345678' });
    child.info('request');
    child.child({ jobId: '6222021234567890123' }).info('job');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lines.length, 2);
    assert.ok(
      !lines.some((l) => l.includes('13812345678') || l.includes('6222021234567890123')),
      lines.join('\n'),
    );
    assert.match(lines[0] ?? '', /"requestId":"call-\*{7}5678"/);
    assert.match(
      lines[1] ?? '',
      /"requestId":"call-\*{7}5678".*"jobId":"\*+0123"|"jobId":"\*+0123".*"requestId"/,
    );
  });
});
