/**
 * Process plumbing shared by the service starters: ports, PATH look-up, waiting for readiness, and
 * stopping a detached process group. Node built-ins only.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function log(message) {
  process.stderr.write(`[services] ${message}\n`);
}

/** ~/.cache/voc-bank (XDG_CACHE_HOME respected; VOC_CACHE_DIR overrides). */
export function cacheDir() {
  return (
    process.env.VOC_CACHE_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'voc-bank')
  );
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export function findOnPath(binary) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

/** Polls `answers` until true; returns undefined when ready, else why not. Prints progress. */
export async function waitFor(answers, child, timeoutMs, name) {
  const started = Date.now();
  let exited;
  child.once('exit', (code, signal) => (exited = signal ?? `exit code ${code}`));
  let nextReport = started + 10_000;
  while (Date.now() - started < timeoutMs) {
    if (exited !== undefined) return `the process ended (${exited})`;
    if (await answers()) return undefined;
    if (Date.now() >= nextReport) {
      log(`still waiting for ${name} (${Math.round((Date.now() - started) / 1000)} s)`);
      nextReport += 10_000;
    }
    await sleep(500);
  }
  return `not ready after ${timeoutMs / 1000} s`;
}

/**
 * A started service: `pgid` is the detached process group, `dir` its temp dir, `signature` a string
 * its leader's command line contains (to recognise it from another process), `child` set only in
 * the process that started it.
 */
export const startedHere = [];

export function registerStarted(handle) {
  startedHere.push(handle);
  return handle;
}

/**
 * Whether the group leader is still the service we started. Only asked for handles read back from
 * the state file: after a reboot the pid may belong to something else. A gone leader is fine (Linux
 * does not reuse a pid while a process group of that id exists).
 */
function ownsGroup(handle) {
  if (handle.child !== undefined) return true;
  try {
    return fs
      .readFileSync(`/proc/${handle.pgid}/cmdline`, 'utf8')
      .replaceAll('\0', ' ')
      .includes(handle.signature);
  } catch {
    return true;
  }
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM to the whole process group, SIGKILL after 30 s, then removes the temp dir (unless keepDir). */
export async function stopService(handle, { keepDir = false } = {}) {
  if (handle.stopped) return;
  handle.stopped = true;
  if (!ownsGroup(handle)) {
    log(`process ${handle.pgid} is no longer the ${handle.kind} started by services.js; not signalling it`);
  } else if (groupAlive(handle.pgid)) {
    log(`stopping ${handle.kind} (process group ${handle.pgid})`);
    signalGroup(handle.pgid, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (groupAlive(handle.pgid) && Date.now() < deadline) await sleep(200);
    if (groupAlive(handle.pgid)) {
      log(`${handle.kind} ignored SIGTERM for 30 s; killing it`);
      signalGroup(handle.pgid, 'SIGKILL');
      while (groupAlive(handle.pgid)) await sleep(100);
    }
  }
  if (!keepDir) fs.rmSync(handle.dir, { recursive: true, force: true });
  try {
    handle.afterStop?.();
  } catch {
    // best effort
  }
}

/** Last resort on process exit, where nothing can be awaited: SIGKILL what was not stopped. */
export function killStartedSync() {
  for (const handle of startedHere) {
    if (!handle.stopped && handle.child !== undefined) signalGroup(handle.pgid, 'SIGKILL');
  }
}
