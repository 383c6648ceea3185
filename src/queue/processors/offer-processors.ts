import type { Logger } from '../../logging/logger.js';
import type { DecisionService } from '../../offers/decision-service.js';
import type { JobHandler } from '../types.js';

/**
 * `offer-no-answer` (repeatable): offers left without an outcome for `policy.noAnswerAfter` become
 * `no_answer`, so the propensity learner counts the negatives of customers who never come back.
 * Idempotent: a second run finds nothing new; a run cut short leaves the rest to the next.
 */
export function createOfferNoAnswerProcessor(
  decisions: DecisionService,
  logger: Logger,
): JobHandler<'offer-no-answer'> {
  return async (job) => {
    const result = await decisions.settleNoAnswer(job.data.pageSize);
    if (result.settled || result.dropped)
      logger.info({ jobId: job.id, ...result }, 'unanswered offers settled');
    return result;
  };
}
