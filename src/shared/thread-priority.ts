import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the calling thread to niceness 10. On Linux a thread has its own nice value: a worker
 * thread doing background work (searches, store writes) then yields the CPU to
 * the event loop (health checks, small requests) when cores are short. Elsewhere, or when not
 * permitted, the thread keeps the process's priority.
 */
export function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // not Linux, or not permitted: run at normal priority
  }
}
