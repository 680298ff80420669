import { Router } from 'express';
import type { ModelRegistry } from '../model-registry.js';
import type { ConsoleOptions } from './console-data.js';
import { consoleItemRoutes } from './console-items.js';
import { consoleModelRoutes } from './console-models.js';
import { consoleReportRoutes } from './console-reports.js';
import { consoleStaticRoutes } from './console-static.js';
import { consoleUserRoutes } from './console-users.js';

/**
 * Everything the web console needs, read-only: its static page at `/`, and the JSON endpoints it
 * reads besides the public API — `GET /v1/items?q=`, `/v1/items/:id`, `/v1/users/:id`,
 * `/v1/models/:version`, `/v1/reports` (and `/reports/…` files).
 *
 * @example
 *   app.use(consoleRoutes(models, { data: consoleDataFromStore(store), reportsDir: 'out' }));
 */
export function consoleRoutes(models: ModelRegistry, options: ConsoleOptions = {}): Router {
  const router = Router();
  router.use(consoleItemRoutes(models, options.data));
  router.use(consoleUserRoutes(models, options.data));
  router.use(consoleModelRoutes(models, options.data));
  router.use(consoleReportRoutes(options.reportsDir));
  router.use(consoleStaticRoutes());
  return router;
}
