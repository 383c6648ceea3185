import { createServer, type Server } from 'node:http';
import { createApp } from './api/app.js';
import { answerClientErrorsAsJson } from './api/client-errors.js';
import { loadConfig, type AppConfig } from './config/env.js';
import { createContainer, type Container, type ContainerOverrides } from './container.js';
import { createLogger, type Logger } from './logging/logger.js';
import { redisAckDurability } from './queue/bull/redis-durability.js';

export type Role = 'api' | 'worker';

export interface RunningService {
  container: Container;
  server?: Server;
  /** The port actually bound (PORT=0 picks a free one). */
  port?: number;
  stop(): Promise<void>;
}

/**
 * Starts the given process roles. `voc serve` is the api role, plus the worker in the embedded
 * mode (the queue lives in this process's SQLite file); `voc worker` is the worker role alone.
 */
export async function startService(
  roles: Role[],
  config: AppConfig = loadConfig(),
  logger: Logger = createLogger(config.logLevel),
  overrides: ContainerOverrides = {},
): Promise<RunningService> {
  const container = await createContainer(config, logger, overrides);
  const runWorker = roles.includes('worker') || (roles.includes('api') && config.mode === 'embedded');
  logger.info(
    {
      mode: config.mode,
      roles: runWorker && !roles.includes('worker') ? [...roles, 'worker (in-process)'] : roles,
      store: config.storage.kind === 'sqlite' ? `sqlite:${config.storage.dataDir}` : config.storage.url,
      queue: config.queue.kind === 'embedded' ? `sqlite:${config.queue.dataDir}` : 'redis',
    },
    `starting in ${config.mode} mode`,
  );
  if (config.queue.kind === 'redis' && roles.includes('api')) warnUnlessAckDurable(config.queue.url, logger);
  container.processRoles.push(...roles, ...(runWorker && !roles.includes('worker') ? ['worker'] : []));
  await container.control.start();
  if (runWorker) container.startWorker();
  let server: Server | undefined;
  if (!roles.includes('api') && config.workerMetricsPort !== undefined) {
    server = await listen(workerMetricsServer(container), config.workerMetricsPort, config.http.host);
  }
  if (roles.includes('api')) {
    const api = createServer(createApp(container));
    answerClientErrorsAsJson(api);
    server = await listen(api, config.http.port, config.http.host);
  }
  const address = server?.address();
  const port = typeof address === 'object' && address ? address.port : undefined;
  if (port !== undefined)
    logger.info({ port, host: config.http.host }, `listening on http://${config.http.host}:${port}`);
  let stopping: Promise<void> | undefined;
  return {
    container,
    server,
    port,
    stop: () =>
      (stopping ??= (async () => {
        logger.info('stopping: finishing in-flight requests and jobs');
        if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
        await container.close({ drain: true });
        logger.info('stopped');
      })()),
  };
}

function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** A worker has no API; this answers Prometheus scrapes and liveness probes only. */
function workerMetricsServer(container: Container): Server {
  return createServer((req, res) => {
    if (req.url === '/metrics') {
      container.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': container.metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    } else if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else {
      res.writeHead(404).end();
    }
  });
}

/** SIGTERM/SIGINT drain in-flight work, then exit; a second signal exits at once. */
export function stopOnSignals(service: RunningService, logger: Logger): void {
  let signalled = false;
  const onSignal = (signal: string) => {
    if (signalled) process.exit(1);
    signalled = true;
    logger.info({ signal }, 'signal received');
    service.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

/** The 202 of an upload rests on Redis's AOF with fsync on every write: say so when Redis runs otherwise. */
function warnUnlessAckDurable(url: string, logger: Logger): void {
  redisAckDurability(url)
    .then((d) => {
      if (!d.durable)
        logger.warn(
          { appendonly: d.appendonly, appendfsync: d.appendfsync },
          'Redis may lose acknowledged uploads on a machine crash: run it with appendonly yes and appendfsync always (docker/compose.yml)',
        );
    })
    .catch((err: unknown) =>
      logger.warn(
        { err },
        'could not read Redis persistence settings (CONFIG GET): check appendonly yes and appendfsync always',
      ),
    );
}
