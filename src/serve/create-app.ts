import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { fastTopKRoutes } from './fast-top-k-routes.js';
import { jsonLinesLogger, type Logger } from './logger.js';
import type { ModelRegistry } from './model-registry.js';
import { createServeMetrics } from './serve-metrics.js';
import { healthRoutes } from './routes/health.js';
import { interactionRoutes, type InteractionIngester } from './routes/interactions.js';
import { modelRoutes, type ModelLister } from './routes/models.js';
import { recommendationRoutes } from './routes/recommendations.js';
import { consoleRoutes } from './routes/console-routes.js';
import type { ConsoleOptions } from './routes/console-data.js';

/** Default request body limit: 1 MiB (about 10,000 interactions). */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** What the app needs; everything but `models` is optional (a feature is off without it). */
export interface AppDeps {
  /** Holder of the served model version. */
  readonly models: ModelRegistry;
  /** Lists the registry for `GET /v1/models`; without it only the served version is listed. */
  readonly listModels?: ModelLister;
  /** Stores `POST /v1/interactions` rows; without it the endpoint answers 403. */
  readonly ingestInteractions?: InteractionIngester;
  /** Bearer token of write endpoints (from CONTRAREC_ADMIN_TOKEN); unset → writes disabled. */
  readonly adminToken?: string;
  /** Largest accepted JSON body in bytes; larger → 413 (default 1 MiB). */
  readonly bodyLimitBytes?: number;
  /** The web console's data (store reads) and reports folder; the page at `/` is always served. */
  readonly console?: ConsoleOptions;
  readonly log?: Logger;
}

/** The service as a node:http request listener. */
export type ServeApp = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Builds the HTTP app without listening, so tests and `startServer` share it: the two top-k GET
 * routes on node:http (`fastTopKRoutes`), everything else in express. Every answer is JSON; every
 * error is `{ "error": { "code", "message" } }`.
 *
 * @example
 *   const server = http.createServer(createApp({ models })).listen(8080, '127.0.0.1');
 *   // curl 'http://127.0.0.1:8080/v1/items/50/similar?k=5'
 */
export function createApp(deps: AppDeps): ServeApp {
  const log = deps.log ?? jsonLinesLogger;
  const metrics = createServeMetrics(deps.models);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(metrics.track);
  app.use(healthRoutes(deps.models));
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(modelRoutes(deps.models, deps.listModels));
  const limit = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  app.use(recommendationRoutes(deps.models, limit));
  app.use(interactionRoutes(deps.ingestInteractions, deps.adminToken, limit));
  app.use(consoleRoutes(deps.models, deps.console));
  app.use(notFoundHandler);
  app.use(errorHandler(log));
  const fast = fastTopKRoutes(deps.models, metrics, log);
  return (req, res) => {
    if (!fast(req, res)) app(req, res);
  };
}
