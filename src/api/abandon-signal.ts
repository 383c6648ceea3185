import type { Response } from 'express';

/**
 * A signal that fires when the client goes away before its response is complete, so a search it no
 * longer waits for stops taking a worker (see storage/sqlite/search-pool.ts).
 */
export function abandonSignal(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** The rejection of work stopped by such a signal (fetch, the search pool and Node use this name). */
export function isAbandoned(err: unknown): boolean {
  return (err as { name?: unknown } | null)?.name === 'AbortError';
}
