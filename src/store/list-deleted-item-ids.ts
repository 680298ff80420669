import { sqliteOf, type Store } from './store.js';

/**
 * External ids of every soft-deleted item (`markItemDeleted`), in the order they were
 * first stored. The server applies it when it loads a model, so that an item deleted after the
 * model was trained is never recommended, without waiting for the next retrain.
 *
 * @example
 *   const hidden = new Set(listDeletedItemIds(store));
 */
export function listDeletedItemIds(store: Store): string[] {
  return sqliteOf(store).sqlite.prepare('select external_id from items where deleted_at is not null order by id').pluck().all() as string[];
}
