import client from 'prom-client';
import type { JobQueue } from '../queue/types.js';

export interface Metrics {
  registry: client.Registry;
  conversationsIndexed: client.Counter;
  jobsFinished: client.Counter<'outcome'>;
  ingestLatency: client.Histogram;
  httpRequests: client.Counter<'method' | 'route' | 'status'>;
}

/** Prometheus metrics; queue depth is read from the queue at scrape time, so it is right across processes. */
export function createMetrics(queue: JobQueue): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'voc_' });
  const conversationsIndexed = new client.Counter({
    name: 'voc_conversations_indexed_total',
    help: 'Conversations analysed and written to the store by this process',
    registers: [registry],
  });
  const jobsFinished = new client.Counter({
    name: 'voc_jobs_finished_total',
    help: 'Ingest jobs finished by this process, by outcome (completed, failed_attempt)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const ingestLatency = new client.Histogram({
    name: 'voc_ingest_latency_seconds',
    help: 'Time from acceptance of an upload to its conversations being searchable',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const httpRequests = new client.Counter({
    name: 'voc_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  new client.Gauge({
    name: 'voc_queue_jobs',
    help: 'Ingest jobs in the queue by state (all processes)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const depth = await queue.depth().catch(() => undefined);
      if (!depth) return;
      for (const [state, n] of Object.entries(depth)) this.set({ state }, n);
    },
  });
  return { registry, conversationsIndexed, jobsFinished, ingestLatency, httpRequests };
}
