import { readInteractionWatermark } from './interaction-changes.js';
import { scanInteractions } from './scan-interactions.js';
import { sqliteOf, type Store } from './store.js';

/** Every stored interaction as a (user, item) pair of internal ids, with the external id of each internal id. */
export interface InteractionPairs {
  /** Internal user id of interaction k. */
  readonly user: Int32Array;
  /** Internal item id of interaction k (deleted items are left out). */
  readonly item: Int32Array;
  /** Time of interaction k (NaN: untimed); the pairs are in (ts, user, item) order. */
  readonly ts: Float64Array;
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

function pairsOf(store: Store, throughBatch?: number): InteractionPairs {
  const raw = scanInteractions(store, undefined, throughBatch);
  return {
    user: raw.userId,
    item: raw.itemId,
    ts: raw.ts,
    userExternalIds: externalIds(store, 'users', raw.maxUserId),
    itemExternalIds: externalIds(store, 'items', raw.maxItemId),
  };
}

/**
 * Who interacted with what and when, and nothing else: the interactions' user and item ids and
 * times without weights or features (which `readInteractionLog` parses for every item), for the
 * server's "already seen" sets and live histories. Deleted items are left out, as in `scanInteractions`.
 */
export function readInteractionPairs(store: Store): InteractionPairs {
  return pairsOf(store);
}

/**
 * {@link readInteractionPairs} and the change watermark they cover (`readInteractionChanges`
 * from `through` reads exactly the rows they lack), read in one transaction: a row written
 * between the two reads is then in neither or in both, never in the scan and again among the
 * changes (a batch still running when they are read is left to the changes).
 */
export async function readInteractionPairsThrough(store: Store): Promise<{ pairs: InteractionPairs; through: number }> {
  const { sqlite } = sqliteOf(store);
  sqlite.exec('begin');
  try {
    const through = await readInteractionWatermark(store);
    return { pairs: pairsOf(store, through), through };
  } finally {
    sqlite.exec('commit');
  }
}
