import express from 'express';
import type { Container } from '../container.js';
import { errorHandler } from './middleware/error-handler.js';
import { requestContext } from './middleware/request-context.js';
import { RouteRegistry, type RouteSpec } from './route.js';
import { adminRoutes } from './routes/admin.js';
import { conversationRoutes } from './routes/conversations.js';
import { correctionRoutes } from './routes/corrections.js';
import { customerRoutes } from './routes/customers.js';
import { jobRoutes } from './routes/jobs.js';
import { tagFeedRoutes } from './routes/tag-feed.js';
import { operationsRoutes } from './routes/operations.js';
import { searchRoutes } from './routes/search.js';
import { savedSearchRoutes } from './routes/saved-searches.js';
import { webhookRoutes } from './routes/webhooks.js';
import { tagExportRoutes } from './routes/tag-export.js';
import { exportRoutes } from './routes/export.js';
import { reportRoutes } from './routes/reports.js';
import { decisionRoutes } from './routes/decisions.js';
import { consoleRoutes } from '../console/console-routes.js';
import { NotFoundError } from '../errors.js';

/** Each app's route table, so a test can walk every route with its access rule (route-access.test.ts). */
const routeTables = new WeakMap<express.Express, readonly RouteSpec[]>();

/** The routes `app` registered through its RouteRegistry, with their access rules. */
export function routeTableOf(app: express.Express): readonly RouteSpec[] {
  const table = routeTables.get(app);
  if (!table) throw new Error('Not an app made by createApp: it has no route table');
  return table;
}

/** The HTTP API. Routes call services; none touches a store implementation directly. */
export function createApp(container: Container): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestContext(container.logger, container.metrics));
  const router = express.Router();
  const routes = new RouteRegistry((key) => container.keys.authenticate(key));
  operationsRoutes(router, routes, {
    health: container.health,
    metrics: container.metrics,
    mode: container.config.mode,
  });
  conversationRoutes(router, routes, {
    ingest: container.ingest,
    search: container.search,
    config: container.config,
  });
  jobRoutes(router, routes, container.ingest);
  exportRoutes(router, routes, container.exporter);
  searchRoutes(router, routes, container.search);
  savedSearchRoutes(router, routes, container.savedSearches);
  correctionRoutes(router, routes, container.corrections);
  customerRoutes(router, routes, container.profiles);
  tagFeedRoutes(router, routes, container.profiles);
  // Before reportRoutes: /v1/reports/offers must not be taken for a stored report's /v1/reports/:id.
  decisionRoutes(router, routes, container.decisions);
  reportRoutes(router, routes, container.reports);
  webhookRoutes(router, routes, container.webhooks);
  tagExportRoutes(router, routes, container.tagExport);
  consoleRoutes(router, routes);
  adminRoutes(router, routes, { reanalysis: container.reanalysis, control: container.control });
  app.use(router);
  routeTables.set(app, routes.specs);
  app.use((req, _res, next) => next(new NotFoundError(`Route ${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}
