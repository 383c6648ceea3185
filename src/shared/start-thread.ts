import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker module `<name>.js` beside the caller (`callerUrl`: its `import.meta.url`), or
 * `<name>.ts` when the caller runs from TypeScript sources (tsx: tests, tools): a worker does not
 * inherit tsx's loader, so a one-line bootstrap registers it first.
 */
export function startThread(callerUrl: string, name: string, workerData: unknown): Worker {
  if (callerUrl.endsWith('.js')) return new Worker(new URL(`./${name}.js`, callerUrl), { workerData });
  const source = new URL(`./${name}.ts`, callerUrl).href;
  // The ESM build of tsx's API sits beside the CommonJS one that require.resolve finds.
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const tsx = pathToFileURL(api).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`,
    { eval: true, workerData },
  );
}

/** An error as it crosses a thread boundary (its class is lost, its name and SQLite code are kept). */
export interface ThreadError {
  name: string;
  message: string;
  code?: string;
}

export function toThreadError(err: unknown): ThreadError {
  const e = err as { name?: unknown; message?: unknown; code?: unknown };
  return {
    name: String(e.name ?? 'Error'),
    message: String(e.message ?? err),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
  };
}
