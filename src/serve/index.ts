/**
 * The serving stage's public API: the express app, its model holder with hot swap, and the
 * server start-up used by `contrarec serve`.
 */
export { createApp, createRouters, DEFAULT_BODY_LIMIT_BYTES, type ServeApp, type ServiceRouters } from './create-app.js';
export type { AppDeps } from './app-deps.js';
export { CONSOLE_API_PREFIX, READ_TOKEN_VARIABLE } from './routes/console-api-routes.js';
export type { Route, RouteMethod } from './route.js';
export { HttpError } from './http-error.js';
export { ModelRegistry, RELEASE_GRACE_MS, type ActiveModelResolver, type SnapshotLoader } from './model-registry.js';
export {
  loadModelSnapshot,
  snapshotWorkerAvailable,
  type ModelSnapshot,
  type SeenItems,
  type SeenSet,
  type LoadSnapshotOptions,
  type SnapshotLoadStats,
} from './model-snapshot.js';
export { answerClientErrors } from './client-errors.js';
export { MAX_JSON_DEPTH } from './json-depth.js';
export { activeModelOfStore, startServer, type RunningServer, type ServerOptions } from './start-server.js';
export { runWorkers } from './run-workers.js';
export { jsonLinesLogger, type Logger } from './logger.js';
export { MAX_K } from './query-params.js';
export type { TopKAnswer } from './to-answer.js';
export type { ModelListEntry, ModelLister } from './routes/models.js';
export type { IngestOutcome, InteractionIngester } from './routes/interactions.js';
