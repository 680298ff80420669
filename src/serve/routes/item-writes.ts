import { z } from 'zod';
import { HttpError } from '../http-error.js';
import { defineRoute, type Route } from '../route.js';
import { requireAdminToken, requireStore } from './interactions.js';

/** Most items one `POST /v1/items` may carry. */
export const MAX_ITEMS_PER_REQUEST = 1000;

/** What storing items did, or the first item refused (then nothing was stored). */
export type ItemWriteOutcome =
  { readonly inserted: number; readonly updated: number; readonly unchanged: number } | { readonly index: number; readonly reason: string };

/** Stores items (features merged into known ones) as `contrarec ingest items` does, and adds the new ones to the served index. */
export type ItemWriter = (items: readonly { readonly id: string; readonly features: Readonly<Record<string, unknown>> }[]) => Promise<ItemWriteOutcome>;

/** Deletes an item from the catalogue and from every later answer; false when no live item has that id. */
export type ItemDeleter = (id: string) => Promise<boolean>;

const itemsError = `must be an array of 1 to ${MAX_ITEMS_PER_REQUEST} items { "id": "...", "features": {...} }`;
const bodySchema = z.object(
  {
    items: z
      .array(
        z.object(
          {
            id: z.string({ error: 'must be a string' }),
            features: z.record(z.string(), z.unknown(), { error: 'must be an object of feature name → value' }),
          },
          { error: 'must be an object { "id": "...", "features": {...} }' },
        ),
        { error: itemsError },
      )
      .min(1, { error: itemsError })
      .max(MAX_ITEMS_PER_REQUEST, { error: itemsError }),
  },
  { error: 'must be a JSON object { "items": [...] }' },
);

/**
 * `POST /v1/items` with `{ "items": [ { "id": "i9", "features": { "genre": ["Drama"], "year": 1999 } } ] }`:
 * stores the items with the rules of a JSON Lines items file; when answers are live, each item the
 * served model does not know is embedded by its item tower and added to its index before the
 * answer, so it can be recommended at once (other workers within their check interval). All or
 * nothing: 400 naming the first refused item. Needs the admin bearer token.
 */
export function postItemsRoute(write: ItemWriter | undefined, adminToken: string | undefined): Route {
  return defineRoute({
    method: 'POST',
    path: '/v1/items',
    summary: 'Add or update catalogue items; new ones are embedded by the item tower and recommended at once (live)',
    guards: [requireAdminToken(adminToken), requireStore(write !== undefined)],
    auth: 'admin',
    body: bodySchema,
    response: z.object({ inserted: z.int().min(0), updated: z.int().min(0), unchanged: z.int().min(0) }),
    errors: [503],
    answer: async ({ body: { items } }) => {
      const outcome = await write!(items);
      if ('reason' in outcome) throw new HttpError(400, 'invalid_request', `body field "items.${outcome.index}": ${outcome.reason}`);
      return { inserted: outcome.inserted, updated: outcome.updated, unchanged: outcome.unchanged };
    },
  });
}

/**
 * `DELETE /v1/items/:id`: removes the item from the catalogue (kept for history, as
 * `markItemDeleted` does) and, when answers are live, from every later answer of the served
 * index at once (other workers within their check interval). 404 when no live item has that id.
 * Needs the admin bearer token.
 */
export function deleteItemRoute(remove: ItemDeleter | undefined, adminToken: string | undefined): Route {
  return defineRoute({
    method: 'DELETE',
    path: '/v1/items/:id',
    summary: 'Remove an item from the catalogue and from every later answer',
    guards: [requireAdminToken(adminToken), requireStore(remove !== undefined)],
    auth: 'admin',
    response: z.object({ deleted: z.string() }),
    errors: [404, 503],
    answer: async ({ params: { id } }) => {
      if (!(await remove!(id))) throw new HttpError(404, 'unknown_item', `unknown item "${id}" (not in the catalogue, or already deleted)`);
      return { deleted: id };
    },
  });
}
