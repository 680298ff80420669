import { z } from 'zod';
import { isoOrNull } from '../../common/iso-time.js';
import { catalogueItem, featureValues, isoTimeOrNull, servedVersion } from '../answer-schemas.js';
import { HttpError } from '../http-error.js';
import type { ModelRegistry } from '../model-registry.js';
import { intQueryParam } from '../query-params.js';
import { defineRoute, type Route, type RouteGuard } from '../route.js';
import type { ConsoleData } from './console-data.js';
import { requireData } from './console-items.js';

const userQuery = z.object({ history: intQueryParam(0, 500, 20) });

/**
 * `GET /console/api/users/:id?history=20`: the user's features, how many interactions they have,
 * and their most recent ones (newest first, each with the item's features and the time as ISO
 * 8601, `at: null` for an untimed one), plus whether the served model knows them. Unknown user →
 * 404. A person's history is the most private thing the service holds: behind the read token.
 */
export function consoleUserRoute(models: ModelRegistry, data: ConsoleData | undefined, guards: readonly RouteGuard[]): Route {
  return defineRoute({
    method: 'GET',
    path: '/console/api/users/:id',
    summary: "A user's features, interaction count and most recent interactions",
    guards,
    auth: 'read',
    query: userQuery,
    response: z.object({
      id: z.string(),
      features: featureValues,
      interactions: z.int().min(0),
      recent: z.array(z.object({ item: catalogueItem, at: isoTimeOrNull, event: z.string(), weight: z.number() })),
      model: servedVersion,
      inModel: z.boolean(),
    }),
    errors: [404, 501, 503],
    answer: async ({ params: { id }, query: { history } }) => {
      const user = await requireData(data).userHistory(id, history);
      if (user === undefined) throw new HttpError(404, 'unknown_user', `unknown user "${id}" (not in the store)`);
      const model = models.current();
      return {
        id: user.id,
        features: user.features,
        interactions: user.interactions,
        recent: user.recent.map((h) => ({ item: h.item, at: isoOrNull(h.ts), event: h.event, weight: h.weight })),
        model: model?.version ?? null,
        inModel: model?.users.vectorOf(id) !== undefined,
      };
    },
  });
}
