import { Client, SniffingTransport, errors, type TransportOptions } from '@elastic/elasticsearch';
import { StoreUnavailableError } from '../errors.js';

/** Statuses that mean "try again later": throttled, or a node/shard is not there right now. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * The default backoff waits 1-2 s then 2-4 s between retries on a lost connection; the client
 * offers no option for it (8.19), so the transport is subclassed. Longer waits are the queue's job.
 */
class QuickRetryTransport extends SniffingTransport {
  constructor(options: TransportOptions) {
    super({ ...options, retryBackoff: (_min, _max, attempt) => 0.1 * 2 ** attempt });
  }
}

/**
 * A client for one cluster URL (credentials may be in the URL). It retries a lost connection twice
 * within a second, then fails with an error that request() turns into StoreUnavailableError.
 */
export function createElasticsearchClient(url: string): Client {
  return new Client({ node: url, requestTimeout: 30_000, maxRetries: 2, Transport: QuickRetryTransport });
}

/** True when the error says the cluster could not be reached or refused for load, not for our input. */
export function isUnavailable(error: unknown): boolean {
  if (
    error instanceof errors.ConnectionError ||
    error instanceof errors.NoLivingConnectionsError ||
    error instanceof errors.TimeoutError
  ) {
    return true;
  }
  return error instanceof errors.ResponseError && RETRYABLE_STATUSES.has(error.statusCode ?? 0);
}

/** Runs one request, turning unavailability into StoreUnavailableError; other errors pass through. */
export async function request<T>(action: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUnavailable(error)) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new StoreUnavailableError(`Elasticsearch unavailable during ${action}: ${detail}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** The status of an Elasticsearch response error, or undefined for any other error. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof errors.ResponseError ? error.statusCode : undefined;
}
