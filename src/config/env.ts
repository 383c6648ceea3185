import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * Every environment variable the service reads, parsed once. Deployment mode follows from
 * ELASTICSEARCH_URL and REDIS_URL: both set means distributed, neither means embedded, one alone
 * is a configuration error (never a silent fallback).
 */
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(`${p}://`)), {
      message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  MODELS_DIR: z.string().optional(),
  CLASSIFIER_DIR: z.string().optional(),
  ELASTICSEARCH_URL: optionalUrl(['http', 'https']),
  ELASTICSEARCH_INDEX_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, - or _')
    .default('voc-'),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  QUEUE_PREFIX: z.string().default('voc'),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  WORKER_CONCURRENCY: positiveInt(2),
  // Embedded mode: analyse ingest jobs in this many child processes (0: on the main thread, which
  // then stalls during large uploads). Default: one per core but one, at most four (1 on 2 cores).
  ANALYSIS_THREADS: z.coerce
    .number()
    .int()
    .min(0)
    .max(8)
    .default(Math.min(4, Math.max(1, availableParallelism() - 1))),
  JOB_ATTEMPTS: positiveInt(8),
  JOB_BACKOFF_MS: positiveInt(2000),
  INGEST_BATCH_SIZE: positiveInt(200),
  MAX_BODY_BYTES: positiveInt(20 * 1024 * 1024),
  MAX_FILE_BYTES: positiveInt(50 * 1024 * 1024),
  MAX_FILES: positiveInt(20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ID_HASH_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  HOME_INSTITUTION_ID: z.string().default('home'),
  HOME_INSTITUTION_NAMES: z.string().default(''),
  TAG_FEED_RETENTION_DAYS: positiveInt(30),
  TAG_EXPIRY_CRON: z.string().default('*/15 * * * *'),
  /** false: ingest skips the profile step (for bench:profiles and installs without profiles). */
  PROFILES_ENABLED: z.enum(['true', 'false']).default('true'),
  /** Host names or IPs webhooks may reach although private or loopback (comma-separated). */
  WEBHOOK_ALLOW_HOSTS: z.string().default(''),
  WEBHOOK_MAX_ATTEMPTS: positiveInt(12),
  WEBHOOK_BACKOFF_MS: positiveInt(5000),
  WEBHOOK_SWEEP_CRON: z.string().default('* * * * *'),
  /** When offers left without an outcome for policy.noAnswerAfter are settled as no_answer. */
  OFFER_NO_ANSWER_CRON: z.string().default('7 * * * *'),
});

export type Env = z.infer<typeof envSchema>;

export type StorageConfig =
  { kind: 'sqlite'; dataDir: string } | { kind: 'elasticsearch'; url: string; indexPrefix: string };

export type QueueConfig =
  { kind: 'embedded'; dataDir: string } | { kind: 'redis'; url: string; prefix: string };

export interface AppConfig {
  mode: 'embedded' | 'distributed';
  http: { port: number; host: string };
  storage: StorageConfig;
  queue: QueueConfig;
  /** Customer profiles: how long the tag feed keeps changes, when the expiry job runs. */
  profiles: { feedRetentionDays: number; expiryCron: string; enabled: boolean };
  offers: { noAnswerCron: string };
  /** Webhook delivery: reachable private hosts, attempts per change, first retry delay, safety-net cron. */
  webhooks: { allowHosts: string[]; maxAttempts: number; backoffMs: number; sweepCron: string };
  jobs: {
    attempts: number;
    backoffMs: number;
    concurrency: number;
    batchSize: number;
    /** embedded mode: child processes for ingest analysis (0: the main thread) */
    analysisThreads: number;
  };
  /** `voc worker` serves /metrics and /healthz on this port when set (workers have no API). */
  workerMetricsPort?: number;
  limits: { maxBodyBytes: number; maxFileBytes: number; maxFiles: number };
  modelsDir: string;
  /** A Hugging Face-style model directory, 'none' for rules only, or undefined: the one models/manifest.json names. */
  classifierDir?: string;
  logLevel: Env['LOG_LEVEL'];
  homeInstitution: { id: string; names: string[] };
  /** Key of the HMAC that keeps ids holding personal numbers apart after masking; see idHashSecret(). */
  idHashSecret?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Parses the environment; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const hasEs = e.ELASTICSEARCH_URL !== undefined;
  const hasRedis = e.REDIS_URL !== undefined;
  if (hasEs !== hasRedis) {
    const missing = hasEs ? 'REDIS_URL' : 'ELASTICSEARCH_URL';
    throw new ConfigError([
      `${missing} is not set: distributed mode needs both ELASTICSEARCH_URL and REDIS_URL; ` +
        'unset both for the embedded mode (SQLite in DATA_DIR, in-process worker)',
    ]);
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const distributed = hasEs && hasRedis;
  if (distributed && !e.ID_HASH_SECRET) {
    throw new ConfigError([
      'ID_HASH_SECRET is not set: distributed mode needs one secret (16+ characters) shared by every API process, ' +
        'used to pseudonymise ids that contain phone, ID-card or bank-card numbers (e.g. `openssl rand -hex 32`)',
    ]);
  }
  return {
    mode: distributed ? 'distributed' : 'embedded',
    http: { port: e.PORT, host: e.HOST },
    storage: distributed
      ? { kind: 'elasticsearch', url: e.ELASTICSEARCH_URL!, indexPrefix: e.ELASTICSEARCH_INDEX_PREFIX }
      : { kind: 'sqlite', dataDir },
    queue: distributed
      ? { kind: 'redis', url: e.REDIS_URL!, prefix: e.QUEUE_PREFIX }
      : { kind: 'embedded', dataDir },
    profiles: {
      feedRetentionDays: e.TAG_FEED_RETENTION_DAYS,
      expiryCron: e.TAG_EXPIRY_CRON,
      enabled: e.PROFILES_ENABLED === 'true',
    },
    offers: { noAnswerCron: e.OFFER_NO_ANSWER_CRON },
    webhooks: {
      allowHosts: e.WEBHOOK_ALLOW_HOSTS.split(/[,，]/)
        .map((s) => s.trim())
        .filter(Boolean),
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      backoffMs: e.WEBHOOK_BACKOFF_MS,
      sweepCron: e.WEBHOOK_SWEEP_CRON,
    },
    jobs: {
      attempts: e.JOB_ATTEMPTS,
      backoffMs: e.JOB_BACKOFF_MS,
      concurrency: e.WORKER_CONCURRENCY,
      batchSize: e.INGEST_BATCH_SIZE,
      analysisThreads: e.ANALYSIS_THREADS,
    },
    ...(e.WORKER_METRICS_PORT !== undefined ? { workerMetricsPort: e.WORKER_METRICS_PORT } : {}),
    limits: { maxBodyBytes: e.MAX_BODY_BYTES, maxFileBytes: e.MAX_FILE_BYTES, maxFiles: e.MAX_FILES },
    modelsDir: path.resolve(e.MODELS_DIR ?? path.join(repoRoot, 'models')),
    ...(e.CLASSIFIER_DIR
      ? { classifierDir: e.CLASSIFIER_DIR === 'none' ? 'none' : path.resolve(e.CLASSIFIER_DIR) }
      : {}),
    logLevel: e.LOG_LEVEL,
    ...(e.ID_HASH_SECRET ? { idHashSecret: e.ID_HASH_SECRET } : {}),
    homeInstitution: {
      id: e.HOME_INSTITUTION_ID,
      names: e.HOME_INSTITUTION_NAMES.split(/[,，]/)
        .map((s) => s.trim())
        .filter(Boolean),
    },
  };
}
