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

/** What {@link markItemsDeleted} did. */
export interface ItemsDeletion {
  /** Items it marked deleted now. */
  readonly deleted: number;
  /** Items that were already deleted (left as they were). */
  readonly alreadyDeleted: number;
  /** Ids no item of the store has: when there is one, nothing was marked. */
  readonly unknown: readonly string[];
}

/** Most ids one `in (…)` list holds (SQLite caps bound parameters). */
const IDS_PER_QUERY = 500;

/**
 * Soft-deletes many items at once, as {@link markItemDeleted} does one, in one transaction: all
 * or nothing, so that a mistyped id deletes none of the others. Serving processes take them out
 * of their answers at their next change check.
 */
export async function markItemsDeleted(store: Store, externalIds: readonly string[], at: number = Math.floor(Date.now() / 1000)): Promise<ItemsDeletion> {
  const ids = [...new Set(externalIds)];
  return kyselyOf(store)
    .transaction()
    .execute(async (tx) => {
      const found = new Map<string, number | null>();
      for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
        const rows = await tx
          .selectFrom('items')
          .select(['external_id', 'deleted_at'])
          .where('external_id', 'in', ids.slice(start, start + IDS_PER_QUERY))
          .execute();
        for (const r of rows) found.set(r.external_id, r.deleted_at);
      }
      const unknown = ids.filter((id) => !found.has(id));
      const live = ids.filter((id) => found.get(id) === null);
      if (unknown.length > 0) return { deleted: 0, alreadyDeleted: ids.length - unknown.length - live.length, unknown };
      for (let start = 0; start < live.length; start += IDS_PER_QUERY) {
        await tx
          .updateTable('items')
          .set({ deleted_at: at })
          .where('external_id', 'in', live.slice(start, start + IDS_PER_QUERY))
          .where('deleted_at', 'is', null)
          .execute();
      }
      return { deleted: live.length, alreadyDeleted: ids.length - live.length, unknown };
    });
}
