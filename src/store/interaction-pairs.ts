import { scanInteractions } from './scan-interactions.js';
import { sqliteOf, type Store } from './store.js';

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

function externalIds(store: Store, table: 'users' | 'items', maxId: number): string[] {
  const out = new Array<string>(maxId + 1).fill('');
  const rows = sqliteOf(store).sqlite.prepare(`select id, external_id from ${table}`).raw().iterate() as IterableIterator<[number, string]>;
  for (const [id, externalId] of rows) if (id <= maxId) out[id] = externalId;
  return out;
}

/**
 * Who interacted with what, and nothing else: the interactions' user and item ids without
 * times, weights or features (which `readInteractionLog` parses for every item), for the
 * server's "already seen" sets. Deleted items are left out, as in `scanInteractions`.
 */
export function readInteractionPairs(store: Store): InteractionPairs {
  const raw = scanInteractions(store);
  return {
    user: raw.userId,
    item: raw.itemId,
    userExternalIds: externalIds(store, 'users', raw.maxUserId),
    itemExternalIds: externalIds(store, 'items', raw.maxItemId),
  };
}
