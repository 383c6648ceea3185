/** A dependency the API needs to answer: it resolves when it answers and throws when it is down. */
export interface Pingable {
  ping(): Promise<void>;
}

/** Readiness as GET /readyz reports it: `ok` or `down: <why>` per dependency. */
export interface Readiness {
  ready: boolean;
  store: string;
  queue: string;
}

/** Whether this process can serve: the conversation store and the job queue both answer. */
export class HealthService {
  constructor(private readonly deps: { store: Pingable; queue: Pingable }) {}

  /** Pings store and queue together; a failing ping is reported with its reason, never thrown. */
  async readiness(): Promise<Readiness> {
    const [store, queue] = await Promise.all([check(this.deps.store), check(this.deps.queue)]);
    return { ready: store === 'ok' && queue === 'ok', store, queue };
  }
}

function check(dependency: Pingable): Promise<string> {
  return dependency.ping().then(
    () => 'ok',
    (err: unknown) => `down: ${err instanceof Error ? err.message : String(err)}`,
  );
}
