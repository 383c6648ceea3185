import { JOB_NAMES, type JobName } from './jobs.js';
import type { JobHandlers } from './types.js';

/**
 * Refuses to start a worker whose handlers do not match the job names one to one: a job nobody
 * handles would wait forever, and a handler for an unknown name means a job was renamed on one side
 * only. The type already demands every name; this catches what reaches the worker at run time.
 */
export function checkJobHandlers(
  handlers: Partial<Record<string, unknown>>,
): asserts handlers is JobHandlers {
  const missing = JOB_NAMES.filter((name) => typeof handlers[name] !== 'function');
  const unknown = Object.keys(handlers).filter((name) => !(JOB_NAMES as readonly string[]).includes(name));
  if (missing.length || unknown.length) {
    const parts = [
      missing.length ? `no handler for ${missing.join(', ')}` : '',
      unknown.length ? `handlers for unknown jobs ${unknown.join(', ')}` : '',
    ].filter(Boolean);
    throw new Error(
      `The job registry does not match the job names (${parts.join('; ')}): see src/queue/jobs.ts`,
    );
  }
}

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}
