/**
 * Serves the analyst console: static files, no bundler. The files hold no data; every call they
 * make to /v1 carries the analyst's API key. Apache ECharts comes from node_modules (no CDN: bank
 * intranets have no internet).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Router } from 'express';
import { NotFoundError } from '../errors.js';
import { consoleSecurityHeaders } from '../api/middleware/security-headers.js';
import type { RouteRegistry } from '../api/route.js';
import { LABEL_NAMES_MODULE, LABEL_NAMES_PATH } from './label-names-module.js';
import { sendStatic } from './static-files.js';

/** src/console/public, from src/console or dist/console alike. */
const PUBLIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/console/public');
const ECHARTS = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
const FILE = /^[a-z0-9-]+\.(html|js|css|svg)$/;

/** ECharts changes only with an upgrade of the package: browsers may keep it a day without asking. */
const VENDOR_MAX_AGE = 86_400;

export function consoleRoutes(router: Router, routes: RouteRegistry): void {
  router.use('/console', consoleSecurityHeaders);
  routes.add(router, {
    method: 'get',
    path: '/console',
    access: 'public',
    tag: 'console',
    summary: 'The analyst console (sign-in with an analyst API key)',
    responses: { 200: 'HTML' },
    handler: (req, res) => sendStatic(req, res, path.join(PUBLIC_DIR, 'index.html')),
  });
  routes.add(router, {
    method: 'get',
    path: '/console/vendor/echarts.min.js',
    access: 'public',
    tag: 'console',
    summary: 'Apache ECharts, served from node_modules',
    responses: { 200: 'JavaScript' },
    handler: (req, res) => sendStatic(req, res, ECHARTS, VENDOR_MAX_AGE),
  });
  routes.add(router, {
    method: 'get',
    path: LABEL_NAMES_PATH,
    access: 'public',
    tag: 'console',
    summary: 'Chinese display names of the taxonomy ids, as an ES module (src/domain/label-names.ts)',
    responses: { 200: 'JavaScript' },
    handler: (_req, res) => {
      res.type('text/javascript').set('Cache-Control', 'no-cache').send(LABEL_NAMES_MODULE);
    },
  });
  routes.add(router, {
    method: 'get',
    path: '/console/:file',
    access: 'public',
    tag: 'console',
    summary: 'Console assets',
    responses: { 200: 'Asset', 404: 'Unknown asset' },
    handler: async (req, res) => {
      const file = String(req.params.file);
      if (!FILE.test(file)) throw new NotFoundError(`Console file ${file}`);
      await sendStatic(req, res, path.join(PUBLIC_DIR, file));
    },
  });
}
