import { requireBearerToken } from '../bearer-token.js';
import type { ModelRegistry } from '../model-registry.js';
import type { Route, RouteGuard } from '../route.js';
import type { ConsoleOptions } from './console-data.js';
import { consoleItemListRoute, consoleItemRoute } from './console-items.js';
import { consoleModelRoute } from './console-models.js';
import { consoleReportsRoute } from './console-reports.js';
import { consoleUserRoute } from './console-users.js';

/** Where the console's JSON API lives: apart from the public `/v1`, so that API stays what README documents. */
export const CONSOLE_API_PREFIX = '/console/api';

/** The environment variable that holds the console API's read token. */
export const READ_TOKEN_VARIABLE = 'CONTRAREC_READ_TOKEN';

/**
 * The guard of every console API request: the read token when one is set; none otherwise (the
 * console API is then open, meant for a trusted network; `contrarec serve` says so at start).
 */
export function consoleReadGuards(readToken: string | undefined): readonly RouteGuard[] {
  return readToken ? [requireBearerToken(readToken, READ_TOKEN_VARIABLE)] : [];
}

/**
 * The JSON endpoints the web console reads besides the public API, read-only, under
 * `/console/api/`: item search and details, a user's history, a model's details, the experiment
 * reports (docs/http-api.md documents them).
 */
export function consoleApiRoutes(models: ModelRegistry, options: ConsoleOptions = {}): readonly Route[] {
  const guards = consoleReadGuards(options.readToken);
  return [
    consoleItemListRoute(options.data, guards),
    consoleItemRoute(models, options.data, guards),
    consoleUserRoute(models, options.data, guards),
    consoleModelRoute(models, options.data, guards),
    consoleReportsRoute(options.reportsDir, guards),
  ];
}
