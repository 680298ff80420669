import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { AppDeps } from './app-deps.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { guardMiddleware, mountRoutes } from './express-routes.js';
import { fastRoutes, type FastRoutes } from './fast-routes.js';
import { MAX_JSON_DEPTH } from './json-depth.js';
import { jsonLinesLogger } from './logger.js';
import type { Route } from './route.js';
import { routeTable } from './route-table.js';
import { createServeMetrics } from './serve-metrics.js';
import { CONSOLE_API_PREFIX, consoleReadGuards } from './routes/console-api-routes.js';
import { consoleStaticRoutes } from './routes/console-static.js';

/** Default request body limit: 1 MiB (about 10,000 interactions). */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** The service as a node:http request listener. */
export type ServeApp = (req: IncomingMessage, res: ServerResponse) => void;

/** The two routers built from one route table, apart (so tests can compare them), and the table. */
export interface ServiceRouters {
  readonly routes: readonly Route[];
  /** The table's fast entries on node:http; false → not one of them. */
  readonly fast: FastRoutes;
  /** Express with every entry of the table, the console's files, and the JSON 404 and error answers. */
  readonly express: ServeApp;
}

/** Builds the route table once and both routers from it, sharing one set of metrics. */
export function createRouters(deps: AppDeps): ServiceRouters {
  const log = deps.log ?? jsonLinesLogger;
  const metrics = createServeMetrics(deps.models);
  const bodyLimitBytes = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const routes = routeTable(deps, metrics, bodyLimitBytes);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(metrics.track);
  mountRoutes(app, routes, { bytes: bodyLimitBytes, depth: MAX_JSON_DEPTH });
  // An unknown path under the console API is refused like a known one: no token, no answer.
  for (const guard of consoleReadGuards(deps.console?.readToken)) app.use(CONSOLE_API_PREFIX, guardMiddleware(guard));
  app.use(consoleStaticRoutes(deps.console?.reportsDir));
  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return { routes, fast: fastRoutes(routes, metrics, log), express: app };
}

/**
 * Builds the HTTP app without listening, so tests and `startServer` share it: one route table
 * (`routeTable`), its fast entries answered on node:http, everything else by express. Every
 * answer but `/metrics` and the console's files is JSON; every error is
 * `{ "error": { "code", "message" } }`.
 *
 * @example
 *   const server = http.createServer(createApp({ models })).listen(8080, '127.0.0.1');
 *   // curl 'http://127.0.0.1:8080/v1/items/50/similar?k=5'
 */
export function createApp(deps: AppDeps): ServeApp {
  const { fast, express: app } = createRouters(deps);
  return (req, res) => {
    if (!fast(req, res)) app(req, res);
  };
}
