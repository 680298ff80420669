import { scanInteractions } from './scan-interactions.js';
import { kyselyOf, type Store } from './store.js';

/** Every stored interaction as a (user, item) pair of internal ids, with the external id of each internal id. */
export interface InteractionPairs {
  /** Internal user id of interaction k. */
  readonly user: Int32Array;
  /** Internal item id of interaction k (deleted items are left out). */
  readonly item: Int32Array;
  /** External id by internal user id ('' where no user has that id). */
  readonly userExternalIds: readonly string[];
  /** External id by internal item id ('' where no item has that id). */
  readonly itemExternalIds: readonly string[];
}

async function externalIds(store: Store, table: 'users' | 'items', maxId: number): Promise<string[]> {
  const out = new Array<string>(maxId + 1).fill('');
  const rows = await kyselyOf(store).selectFrom(table).select(['id', 'external_id']).where('id', '<=', maxId).execute();
  for (const { id, external_id: externalId } of rows) out[id] = externalId;
  return out;
}

/**
 * Who interacted with what, and nothing else: the interactions' user and item ids without
 * times, weights or features (which `readInteractionLog` parses for every item), for the
 * server's "already seen" sets. Deleted items are left out, as in `scanInteractions`.
 */
export async function readInteractionPairs(store: Store): Promise<InteractionPairs> {
  const raw = await scanInteractions(store);
  return {
    user: raw.userId,
    item: raw.itemId,
    userExternalIds: await externalIds(store, 'users', raw.maxUserId),
    itemExternalIds: await externalIds(store, 'items', raw.maxItemId),
  };
}
