import type { Router } from 'express';
import type { HealthService } from '../../observability/health-service.js';
import type { Metrics } from '../../observability/metrics.js';
import { buildOpenApi } from '../openapi.js';
import type { RouteRegistry } from '../route.js';

export function operationsRoutes(
  router: Router,
  routes: RouteRegistry,
  deps: { health: HealthService; metrics: Metrics; mode: string },
): void {
  routes.add(router, {
    method: 'get',
    path: '/healthz',
    access: 'public',
    tag: 'operations',
    summary: 'Liveness: the process answers',
    responses: { 200: 'Alive' },
    handler: (_req, res) => {
      res.json({ status: 'ok' });
    },
  });

  routes.add(router, {
    method: 'get',
    path: '/readyz',
    access: 'public',
    tag: 'operations',
    summary: 'Readiness: the store and the queue answer',
    responses: { 200: 'Ready', 503: 'A dependency is down' },
    handler: async (_req, res) => {
      const { ready, store, queue } = await deps.health.readiness();
      res
        .status(ready ? 200 : 503)
        .json({ status: ready ? 'ready' : 'not ready', mode: deps.mode, store, queue });
    },
  });

  routes.add(router, {
    method: 'get',
    path: '/metrics',
    access: ['admin'],
    tag: 'operations',
    summary: 'Prometheus metrics (jobs, queue depth, ingest latency, requests)',
    responses: { 200: 'Prometheus text format' },
    handler: async (_req, res) => {
      res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    },
  });

  routes.add(router, {
    method: 'get',
    path: '/v1/openapi.json',
    access: 'public',
    tag: 'operations',
    summary: 'This OpenAPI 3 document, generated from the request schemas',
    responses: { 200: 'OpenAPI 3.1 document' },
    handler: (_req, res) => {
      res.json(buildOpenApi(routes.specs));
    },
  });
}
