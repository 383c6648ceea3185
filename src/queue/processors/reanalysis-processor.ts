import type { ReanalysisService } from '../../reanalysis/reanalysis-service.js';
import type { JobHandler } from '../types.js';

/**
 * `reanalysis`: one plan or batch step of a queued run; idempotent, so a redelivery after a crash is
 * harmless. A step that fails on its last attempt fails the run, so the run ends (state `failed`, with
 * the reason) instead of showing `running` for ever and blocking the next one.
 */
export function createReanalysisProcessor(reanalysis: ReanalysisService): JobHandler<'reanalysis'> {
  return async (job) => {
    try {
      await reanalysis.runStep(job.data);
    } catch (err) {
      if (job.lastAttempt) await reanalysis.failQueuedRun(job.data, err);
      throw err;
    }
  };
}
