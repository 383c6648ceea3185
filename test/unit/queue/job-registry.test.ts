import assert from 'node:assert/strict';
import { checkJobHandlers } from '../../../src/queue/job-registry.js';
import { JOB_NAMES } from '../../../src/queue/jobs.js';

describe('job registry', () => {
  const all = (): Record<string, unknown> =>
    Object.fromEntries(JOB_NAMES.map((name) => [name, async () => undefined]));

  it('accepts exactly one handler per job name', () => {
    assert.doesNotThrow(() => checkJobHandlers(all()));
  });

  it('refuses to start with a job nobody handles, naming it', () => {
    const handlers = all();
    delete handlers[JOB_NAMES[0]];
    assert.throws(() => checkJobHandlers(handlers), new RegExp(`no handler for ${JOB_NAMES[0]}`));
  });

  it('refuses a handler for a job name that does not exist', () => {
    assert.throws(() => checkJobHandlers({ ...all(), ingset: async () => undefined }), /unknown jobs ingset/);
  });
});
