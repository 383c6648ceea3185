import type { Logger } from '../../logging/logger.js';
import type { WebhookService } from '../../webhooks/webhook-service.js';
import type { JobHandler } from '../types.js';

/**
 * `webhook-delivery`: with a webhook id, sends that receiver's next changes in order (the service
 * queues its own retries with backoff, so a failed POST does not fail the job); without one (the
 * repeatable safety net), queues a delivery for every receiver that has something waiting.
 */
export function createWebhookDeliveryProcessor(
  webhooks: WebhookService,
  logger: Logger,
): JobHandler<'webhook-delivery'> {
  return async (job) => {
    if (job.data.webhookId === undefined) return webhooks.sweep();
    const result = await webhooks.deliver(job.data.webhookId);
    logger.debug({ jobId: job.id, webhookId: job.data.webhookId, ...result }, 'webhook delivery ran');
    return result;
  };
}
