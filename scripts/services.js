#!/usr/bin/env node
/**
 * The Elasticsearch and Redis that integration tests and a local distributed mode need.
 *
 *   node scripts/services.js start    start what does not answer yet (Elasticsearch on 9200 and Redis
 *                                     on 6379 when free); remember it in .cache/services.json
 *   node scripts/services.js stop     stop what `start` started (nothing else)
 *   node scripts/services.js status   what answers where
 *
 * scripts/with-services.js imports the same functions for throwaway instances around one command.
 * Node built-ins only; the pieces live in scripts/services/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { elasticsearchAnswers, removeJvmLeftovers, startElasticsearch } from './services/elasticsearch.js';
import { log, portIsFree, startedHere, stopService } from './services/process.js';
import { redisAnswers, startRedis } from './services/redis.js';

export { ES_VERSION, elasticsearchAnswers, startElasticsearch } from './services/elasticsearch.js';
export { killStartedSync, log, startedHere, stopService } from './services/process.js';
export { redisAnswers, startRedis } from './services/redis.js';

export const DEFAULT_ES_URL = 'http://127.0.0.1:9200';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const STATE_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.cache', 'services.json');

export function readState() {
  try {
    return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  } catch {
    return {};
  }
}

function writeState(state) {
  fs.mkdirSync(path.dirname(STATE_FILE), { recursive: true });
  if (Object.keys(state).length === 0) fs.rmSync(STATE_FILE, { force: true });
  else fs.writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

/** ELASTICSEARCH_URL if it answers, else 127.0.0.1:9200, else the one `start` recorded; or undefined. */
export async function findElasticsearch() {
  const env = process.env.ELASTICSEARCH_URL;
  if (env) {
    if (await elasticsearchAnswers(env)) return env;
    log('ELASTICSEARCH_URL does not answer; looking elsewhere');
  }
  if (await elasticsearchAnswers(DEFAULT_ES_URL)) return DEFAULT_ES_URL;
  const recorded = readState().elasticsearch?.url;
  return recorded && (await elasticsearchAnswers(recorded)) ? recorded : undefined;
}

/** REDIS_URL if it answers PING, else redis://127.0.0.1:6379, else the recorded one; or undefined. */
export async function findRedis() {
  const env = process.env.REDIS_URL;
  if (env) {
    if (await redisAnswers(env)) return env;
    log('REDIS_URL does not answer; looking elsewhere');
  }
  if (await redisAnswers(DEFAULT_REDIS_URL)) return DEFAULT_REDIS_URL;
  const recorded = readState().redis?.url;
  return recorded && (await redisAnswers(recorded)) ? recorded : undefined;
}

const SERVICES = {
  elasticsearch: {
    find: findElasticsearch,
    answers: elasticsearchAnswers,
    start: startElasticsearch,
    port: 9200,
    afterStop: removeJvmLeftovers,
  },
  redis: { find: findRedis, answers: redisAnswers, start: startRedis, port: 6379 },
};

/** A handle for a service recorded in the state file (started by another process). */
function recorded(kind, record) {
  return { kind, ...record, afterStop: SERVICES[kind].afterStop };
}

async function start() {
  const state = readState();
  for (const [kind, service] of Object.entries(SERVICES)) {
    // A record whose service no longer answers: clear its leftovers before starting anew.
    if (state[kind] && !(await service.answers(state[kind].url))) {
      await stopService(recorded(kind, state[kind]));
      delete state[kind];
      writeState(state);
    }
    const found = await service.find();
    if (found !== undefined) {
      log(`${kind} already answers at ${found}`);
      continue;
    }
    const port = (await portIsFree(service.port)) ? service.port : undefined;
    const { url, pgid, dir, signature, child } = await service.start({ port });
    child.unref();
    state[kind] = { url, pgid, dir, signature };
    writeState(state);
  }
  process.stdout.write(`ELASTICSEARCH_URL=${await findElasticsearch()}\nREDIS_URL=${await findRedis()}\n`);
}

async function stop() {
  const state = readState();
  for (const kind of Object.keys(SERVICES)) {
    if (state[kind] === undefined) continue;
    await stopService(recorded(kind, state[kind]));
    delete state[kind];
    writeState(state);
  }
  log('stopped what `services.js start` started; services found running elsewhere are left alone');
}

async function status() {
  const state = readState();
  for (const [kind, service] of Object.entries(SERVICES)) {
    const url = await service.find();
    const ours =
      url !== undefined && state[kind]?.url === url
        ? ` (started by services.js, pid ${state[kind].pgid})`
        : '';
    process.stdout.write(`${kind}: ${url === undefined ? 'not running' : `${url}${ours}`}\n`);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = { start, stop, status }[process.argv[2] ?? ''];
  if (command === undefined) {
    process.stderr.write('usage: node scripts/services.js start|stop|status\n');
    process.exit(2);
  }
  command().catch(async (error) => {
    log(error instanceof Error ? error.message : String(error));
    for (const handle of startedHere) await stopService(handle);
    process.exit(1);
  });
}
