/**
 * Errors raised by every store implementation. The queue retries on `StoreUnavailableError`
 * (`retryable: true`); every other store error is permanent for the input that caused it.
 */

/** One document a store refused to write. */
export interface WriteFailure {
  id: string;
  /** HTTP-like status when the backend gives one (Elasticsearch), else 400 for invalid input. */
  status: number;
  reason: string;
}

export abstract class StoreError extends Error {
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The backend cannot be reached or is overloaded (connection refused, timeout, 429, 503, SQLITE_BUSY).
 * Retrying later may succeed. `failedIds` names the documents not written when a bulk write was
 * partly rejected for such a reason.
 */
export class StoreUnavailableError extends StoreError {
  readonly retryable = true;
  readonly failedIds: string[];

  constructor(message: string, options?: { cause?: unknown; failedIds?: string[] }) {
    super(message, options);
    this.failedIds = options?.failedIds ?? [];
  }
}

/** Some documents of a write were rejected for a reason retrying will not fix (invalid data, mapping). */
export class StoreWriteError extends StoreError {
  readonly retryable = false;
  readonly failures: WriteFailure[];

  constructor(failures: WriteFailure[], options?: { cause?: unknown }) {
    super(`${failures.length} document(s) rejected: ${describeFailures(failures)}`, options);
    this.failures = failures;
  }

  get failedIds(): string[] {
    return this.failures.map((f) => f.id);
  }
}

/** A search cursor (`after`) that this store did not produce for this sort, or a malformed query. */
export class InvalidQueryError extends StoreError {
  readonly retryable = false;
}

/** A record with that id (or key hash) already exists. */
export class DuplicateRecordError extends StoreError {
  readonly retryable = false;
}

/** "a (status: reason), b (...)" shortened to the first few ids so messages stay readable. */
export function describeFailures(failures: WriteFailure[], max = 10): string {
  const shown = failures.slice(0, max).map((f) => `${f.id} (${f.status}: ${f.reason})`);
  const more = failures.length > max ? `, and ${failures.length - max} more` : '';
  return shown.join(', ') + more;
}
