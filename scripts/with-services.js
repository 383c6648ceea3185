#!/usr/bin/env node
/**
 * node scripts/with-services.js <command...>
 *
 * Runs a command with a real Elasticsearch and Redis: uses ELASTICSEARCH_URL / REDIS_URL when they
 * answer, else the defaults (127.0.0.1:9200, 127.0.0.1:6379) or what `services.js start` recorded,
 * else starts throwaway instances on free ports and stops them when the command ends (also on
 * failure and Ctrl-C). The command gets TEST_ELASTICSEARCH_URL and TEST_REDIS_URL, never
 * ELASTICSEARCH_URL / REDIS_URL (those switch the service to distributed mode; tests decide that per
 * test). Exits with the command's exit code.
 *
 * VOC_SERVICES_FRESH=1 skips the look-up and always starts throwaway instances (CI isolation).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import {
  findElasticsearch,
  findRedis,
  killStartedSync,
  log,
  startElasticsearch,
  startRedis,
  startedHere,
  stopService,
} from './services.js';

const command = process.argv.slice(2);
if (command.length === 0) {
  process.stderr.write('usage: node scripts/with-services.js <command> [args...]\n');
  process.exit(2);
}

let child;
let shuttingDown = false;

async function stopStarted() {
  // Reverse order of start; each stop waits for its process group to end.
  for (const handle of [...startedHere].reverse()) {
    try {
      await stopService(handle);
    } catch (error) {
      log(`could not stop ${handle.kind}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

async function finish(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  await stopStarted();
  process.exit(code);
}

function onSignal(signal) {
  const code = 128 + (os.constants.signals[signal] ?? 1);
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    // The command usually got the same signal from the terminal; make sure, then wait for it to end.
    log(`${signal}: waiting for the command to end, then stopping services`);
    child.kill(signal);
    return;
  }
  log(`${signal}: stopping services`);
  void finish(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);
process.on('exit', killStartedSync);

async function main() {
  const fresh = process.env.VOC_SERVICES_FRESH === '1';
  const started = Date.now();
  const esUrl = (fresh ? undefined : await findElasticsearch()) ?? (await startElasticsearch()).url;
  const redisUrl = (fresh ? undefined : await findRedis()) ?? (await startRedis()).url;
  if (startedHere.length > 0) log(`services ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  log(`TEST_ELASTICSEARCH_URL=${esUrl} TEST_REDIS_URL=${redact(redisUrl)}`);

  const env = { ...process.env, TEST_ELASTICSEARCH_URL: esUrl, TEST_REDIS_URL: redisUrl };
  delete env.ELASTICSEARCH_URL;
  delete env.REDIS_URL;
  if (shuttingDown) return;
  child = spawn(command[0], command.slice(1), { stdio: 'inherit', env });
  child.on('error', (error) => {
    log(`cannot run ${command[0]}: ${error.message}`);
    void finish(127);
  });
  child.on('exit', (code, signal) => {
    void finish(code ?? 128 + (os.constants.signals[signal] ?? 1));
  });
}

function redact(url) {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

main().catch((error) => {
  // After a signal the interrupted start-up fails too; that is not news.
  if (!shuttingDown) log(error instanceof Error ? error.message : String(error));
  void finish(1);
});
