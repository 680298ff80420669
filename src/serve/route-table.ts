import type { AppDeps } from './app-deps.js';
import type { Route } from './route.js';
import type { ServeMetrics } from './serve-metrics.js';
import { consoleApiRoutes } from './routes/console-api-routes.js';
import { healthRoute } from './routes/health.js';
import { interactionsRoute } from './routes/interactions.js';
import { deleteItemRoute, postItemsRoute } from './routes/item-writes.js';
import { similarItemsRoute } from './routes/items.js';
import { metricsRoute } from './routes/metrics.js';
import { modelListRoute } from './routes/models.js';
import { openApiRoute } from './routes/openapi.js';
import { newUserRecommendationsRoute } from './routes/recommendations.js';
import { userRecommendationsRoute } from './routes/users.js';

/**
 * Every route the service answers, declared once: the public API (`/v1/…`, `/healthz`,
 * `/metrics`, as README's HTTP API section lists it) and the console's JSON API under
 * `/console/api/` (docs/http-api.md). `createApp` builds both the node:http fast path (the
 * entries marked `fast`) and the express app (every entry) from this list. The console's static
 * files are not routes with answers and stay express middleware (`consoleStaticRoutes`).
 * `GET /openapi.json` documents the whole table, generated from these entries.
 */
export function routeTable(deps: AppDeps, metrics: ServeMetrics, bodyLimitBytes: number): readonly Route[] {
  const routes: Route[] = [
    healthRoute(deps.models),
    metricsRoute(metrics),
    similarItemsRoute(deps.models, deps.live),
    userRecommendationsRoute(deps.models, deps.live),
    newUserRecommendationsRoute(deps.models),
    interactionsRoute(deps.ingestInteractions, deps.adminToken),
    postItemsRoute(deps.writeItems, deps.adminToken),
    deleteItemRoute(deps.deleteItem, deps.adminToken),
    modelListRoute(deps.models, deps.listModels),
    ...consoleApiRoutes(deps.models, deps.console),
  ];
  routes.push(openApiRoute(() => routes, bodyLimitBytes));
  return routes;
}
