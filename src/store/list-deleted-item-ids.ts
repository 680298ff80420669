import { kyselyOf, type Store } from './store.js';

/**
 * External ids of every soft-deleted item (`markItemDeleted`), in the order they were
 * first stored. The server applies it when it loads a model, so that an item deleted after the
 * model was trained is never recommended, without waiting for the next retrain.
 *
 * @example
 *   const hidden = new Set(await listDeletedItemIds(store));
 */
export async function listDeletedItemIds(store: Store): Promise<string[]> {
  const rows = await kyselyOf(store).selectFrom('items').select('external_id').where('deleted_at', 'is not', null).orderBy('id').execute();
  return rows.map((r) => r.external_id);
}
