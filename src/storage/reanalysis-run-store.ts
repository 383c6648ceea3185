/**
 * Where a re-analysis run keeps its progress, so that any worker can take any of its batch jobs and a
 * run survives the death of every process: SQLite (`DATA_DIR/reanalysis.db`) in the embedded mode,
 * the queue's Redis in the distributed mode. Each page of the plan and each finished batch is
 * recorded once (first writer wins), so a batch redelivered after a crash never counts twice.
 */

export interface ReanalysisRun {
  id: string;
  /** Re-analyse conversations already at the current versions too. */
  force: boolean;
  state: 'running' | 'completed' | 'failed';
  startedAt: string;
  finishedAt?: string;
  error?: string;
  /** Stored conversations when the run started; the exact sum of the planned pages once planning ended. */
  total: number;
  /** Pages of the plan recorded so far, and whether the plan is complete. */
  pages: number;
  planningDone: boolean;
  /** Conversations of the finished batches (each batch counted once), and how many were rewritten. */
  scanned: number;
  rewritten: number;
  pagesDone: number;
}

/** One page of the plan: how many conversations it holds and the cursor after it (absent: the last). */
export interface PlannedPage {
  count: number;
  next?: string;
}

export interface ReanalysisRunStore {
  /** Makes `run` the current run, unless the current one is still running: false then, and nothing changes. */
  begin(run: { id: string; force: boolean; startedAt: string; total: number }): Promise<boolean>;
  /** The current (or last) run. */
  current(): Promise<ReanalysisRun | undefined>;
  get(id: string): Promise<ReanalysisRun | undefined>;
  /** Records page `page` of the plan unless it is recorded already; returns the recorded one. */
  planPage(id: string, page: number, entry: PlannedPage): Promise<PlannedPage>;
  /** The plan has `pages` pages: total becomes their sum. Idempotent. */
  planned(id: string, pages: number): Promise<void>;
  /** Records batch `page` as finished, once: true for the call that recorded it. */
  pageDone(id: string, page: number, counts: { scanned: number; rewritten: number }): Promise<boolean>;
  /**
   * Completes a running run whose plan is complete and whose every page is done: true for the one
   * call that completed it (the caller then does what follows a run, once).
   */
  completeIfDone(id: string, finishedAt: string): Promise<boolean>;
  /** Marks a running run failed with the reason. */
  fail(id: string, error: string, finishedAt: string): Promise<void>;
  close(): Promise<void>;
}
