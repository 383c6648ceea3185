import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { Redis } from 'ioredis';
import { loadConfig, type AppConfig } from '../../src/config/env.js';
import { startService, type RunningService } from '../../src/main.js';
import type { Role } from '../../src/storage/types.js';
import { memoryLogger } from './silent-logger.js';

export type Mode = 'embedded' | 'distributed';

export interface TestService {
  mode: Mode;
  url: string;
  config: AppConfig;
  dataDir: string;
  indexPrefix: string;
  queuePrefix: string;
  keys: Record<Role, string>;
  logLines: string[];
  service: RunningService;
  /** fetch against the service with a key of the given role (or none). */
  request(pathAndQuery: string, init?: RequestInit & { role?: Role | 'none' }): Promise<Response>;
  /** keepData: leave the namespace (data dir, indices, Redis keys) for a restarted service. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** The real Elasticsearch and Redis that `node scripts/with-services.js` provides to test runs. */
export function testBackends(): { elasticsearchUrl: string; redisUrl: string } {
  const elasticsearchUrl = process.env.TEST_ELASTICSEARCH_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!elasticsearchUrl || !redisUrl) {
    throw new Error(
      'TEST_ELASTICSEARCH_URL and TEST_REDIS_URL are not set: run integration tests through `npm test` ' +
        'or `node scripts/with-services.js npm run test:integration`, which start Elasticsearch and Redis',
    );
  }
  return { elasticsearchUrl, redisUrl };
}

/** Starts the whole service in this process (api + worker) on a free port, in a fresh namespace. */
export async function startTestService(
  mode: Mode,
  env: Record<string, string> = {},
  roles: ('api' | 'worker')[] = ['api', 'worker'],
  options: {
    now?: () => number;
    /** The decisions' sampler seed, one per decision (see DecisionServiceDeps.seed). */
    decisionSeed?: () => number;
    dataDir?: string;
    queuePrefix?: string;
    indexPrefix?: string;
  } = {},
): Promise<TestService> {
  const suffix = randomBytes(4).toString('hex');
  // A restart test passes the previous run's namespace back in to find its data again.
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'voc-test-'));
  const indexPrefix = options.indexPrefix ?? `test-${suffix}-`;
  const queuePrefix = options.queuePrefix ?? `test-${suffix}`;
  const backends = mode === 'distributed' ? testBackends() : undefined;
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    JOB_BACKOFF_MS: '200',
    ...(backends
      ? {
          ELASTICSEARCH_URL: backends.elasticsearchUrl,
          REDIS_URL: backends.redisUrl,
          ELASTICSEARCH_INDEX_PREFIX: indexPrefix,
          QUEUE_PREFIX: queuePrefix,
          ID_HASH_SECRET: 'test-secret-0123456789abcdef',
        }
      : {}),
    ...env,
  });
  const { logger, lines } = memoryLogger('debug');
  const service = await startService(roles, config, logger, {
    ...(options.now ? { now: options.now } : {}),
    ...(options.decisionSeed ? { decisionSeed: options.decisionSeed } : {}),
  });
  const keys = {} as Record<Role, string>;
  for (const role of ['admin', 'ingest', 'analyst', 'crm'] as const) {
    keys[role] = (await service.container.keys.create(role, `test ${role}`)).key;
  }
  const url = `http://127.0.0.1:${service.port}`;
  return {
    mode,
    url,
    config,
    dataDir,
    indexPrefix,
    queuePrefix,
    keys,
    logLines: lines,
    service,
    request(pathAndQuery, init = {}) {
      const { role = 'admin', headers, ...rest } = init;
      return fetch(`${url}${pathAndQuery}`, {
        ...rest,
        headers: {
          ...(role === 'none' ? {} : { authorization: `Bearer ${keys[role]}` }),
          ...(headers as Record<string, string>),
        },
      });
    },
    async stop(stopOptions = {}) {
      await service.stop();
      if (stopOptions.keepData) return;
      if (backends) await cleanBackends(backends, indexPrefix, queuePrefix);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function cleanBackends(
  backends: { elasticsearchUrl: string; redisUrl: string },
  indexPrefix: string,
  queuePrefix: string,
) {
  const es = new Client({ node: backends.elasticsearchUrl });
  await es.indices
    .delete({ index: `${indexPrefix}*`, expand_wildcards: 'all' }, { ignore: [404] })
    .catch(() => undefined);
  await es.indices.deleteIndexTemplate({ name: `${indexPrefix}*` }, { ignore: [404] }).catch(() => undefined);
  await es.close();
  const redis = new Redis(backends.redisUrl);
  const keys = await redis.keys(`${queuePrefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}

/** Polls until the check passes; fails with the last observed value. */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met within ${ms} ms; last value: ${JSON.stringify(last)?.slice(0, 500)}`);
}
