/**
 * Polls `check` until it holds; fails with `what` when it still does not after `ms`. For conditions
 * reached by background work (queues, buses), where a fixed sleep would be either slow or flaky.
 */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 5000,
  everyMs = 20,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`still not true after ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
