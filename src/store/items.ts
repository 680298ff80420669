import { kyselyOf, type Store } from './store.js';

/**
 * Soft-deletes an item: it stays in the store (its interactions are history) but is left out
 * of `readInteractionLog` and `stats`, so the next model never recommends it. Returns false
 * when no live item has that external id.
 */
export async function markItemDeleted(store: Store, externalId: string, at: number = Math.floor(Date.now() / 1000)): Promise<boolean> {
  const r = await kyselyOf(store)
    .updateTable('items')
    .set({ deleted_at: at })
    .where('external_id', '=', externalId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}
