import { sqliteOf, type Store } from './store.js';

/**
 * Soft-deletes an item: it stays in the store (its interactions are history) but is left out
 * of `readInteractionLog` and `stats`, so the next model never recommends it. Returns false
 * when no live item has that external id.
 */
export function markItemDeleted(store: Store, externalId: string, at: number = Math.floor(Date.now() / 1000)): boolean {
  const { sqlite } = sqliteOf(store);
  return sqlite.prepare('update items set deleted_at = ? where external_id = ? and deleted_at is null').run(at, externalId).changes === 1;
}
