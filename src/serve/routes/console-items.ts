import { z } from 'zod';
import { catalogueItem, servedVersion } from '../answer-schemas.js';
import { HttpError } from '../http-error.js';
import type { ModelRegistry } from '../model-registry.js';
import { intQueryParam } from '../query-params.js';
import { defineRoute, type Route, type RouteGuard } from '../route.js';
import type { ConsoleData } from './console-data.js';

/** Most ids one `GET /console/api/items?ids=` may name. */
export const MAX_ITEM_IDS = 1000;

const listQuery = z
  .object({
    q: z.string({ error: 'must be one string' }).max(200, { error: 'must be at most 200 characters' }).optional(),
    ids: z.string({ error: 'must be one comma-separated string' }).optional(),
    limit: intQueryParam(1, 100, 10),
  })
  .refine((v) => (v.q === undefined) !== (v.ids === undefined), { error: 'give exactly one of "q" (search) or "ids" (comma-separated ids)' });

/** 501 for a console endpoint on a server without a database. */
export function requireData(data: ConsoleData | undefined): ConsoleData {
  if (data === undefined)
    throw new HttpError(501, 'no_store', 'this server runs without a database (--artifact): item, user and model details need `contrarec serve --db`');
  return data;
}

/**
 * `GET /console/api/items?q=star&limit=10` — type-ahead: items whose id starts with q or whose
 * text features (title, name…) contain it, best first. `GET /console/api/items?ids=i1,i7` —
 * those items' features, in the order asked (unknown ids left out).
 */
export function consoleItemListRoute(data: ConsoleData | undefined, guards: readonly RouteGuard[]): Route {
  return defineRoute({
    method: 'GET',
    path: '/console/api/items',
    summary: 'Item type-ahead search over ids and text features (q), or items by id (ids)',
    guards,
    auth: 'read',
    query: listQuery,
    response: z.object({ items: z.array(catalogueItem) }),
    errors: [501, 503],
    answer: async ({ query: { q, ids, limit } }) => {
      const store = requireData(data);
      if (ids === undefined) return { items: await store.searchItems(q ?? '', limit) };
      const list = ids.split(',').filter((id) => id !== '');
      if (list.length > MAX_ITEM_IDS) throw new HttpError(400, 'invalid_request', `query parameter "ids": at most ${MAX_ITEM_IDS} ids`);
      return { items: await store.findItems(list) };
    },
  });
}

/** `GET /console/api/items/:id` — one item's features and whether the served model knows it (404 when the catalogue does not). */
export function consoleItemRoute(models: ModelRegistry, data: ConsoleData | undefined, guards: readonly RouteGuard[]): Route {
  return defineRoute({
    method: 'GET',
    path: '/console/api/items/:id',
    summary: "One item's features and whether the served model knows it",
    guards,
    auth: 'read',
    response: catalogueItem.extend({ model: servedVersion, inModel: z.boolean() }),
    errors: [404, 501, 503],
    answer: async ({ params: { id } }) => {
      const item = (await requireData(data).findItems([id]))[0];
      if (item === undefined) throw new HttpError(404, 'unknown_item', `unknown item "${id}" (not in the catalogue)`);
      const model = models.current();
      return { ...item, model: model?.version ?? null, inModel: model?.items.row(id) !== undefined };
    },
  });
}
