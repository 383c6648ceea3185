import type { ReanalysisService } from '../../reanalysis/reanalysis-service.js';
import type { JobHandler } from '../types.js';

/** `reanalysis`: one plan or batch step of a queued run; idempotent, so a redelivery after a crash is harmless. */
export function createReanalysisProcessor(reanalysis: ReanalysisService): JobHandler<'reanalysis'> {
  return async (job) => {
    await reanalysis.runStep(job.data);
  };
}
