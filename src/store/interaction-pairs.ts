import { readInteractionWatermark } from './interaction-changes.js';
import { scanInteractions } from './scan-interactions.js';
import { kyselyOf, type Store } from './store.js';

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

async function externalIds(store: Store, table: 'users' | 'items', maxId: number): Promise<string[]> {
  const out = new Array<string>(maxId + 1).fill('');
  const rows = await kyselyOf(store).selectFrom(table).select(['id', 'external_id']).where('id', '<=', maxId).execute();
  for (const { id, external_id: externalId } of rows) out[id] = externalId;
  return out;
}

async function pairsOf(store: Store, throughBatch?: number): Promise<InteractionPairs> {
  const raw = await scanInteractions(store, undefined, throughBatch);
  return {
    user: raw.userId,
    item: raw.itemId,
    ts: raw.ts,
    userExternalIds: await externalIds(store, 'users', raw.maxUserId),
    itemExternalIds: await externalIds(store, 'items', raw.maxItemId),
  };
}

/**
 * Who interacted with what and when, and nothing else: the interactions' user and item ids and
 * times without weights or features (which `readInteractionLog` parses for every item), for the
 * server's "already seen" sets and live histories. Deleted items are left out, as in `scanInteractions`.
 */
export async function readInteractionPairs(store: Store): Promise<InteractionPairs> {
  return pairsOf(store);
}

/**
 * {@link readInteractionPairs} and the change watermark they cover (`readInteractionChanges`
 * from `through` reads exactly the rows they lack). The watermark is read first and the scan
 * keeps only the rows of batches up to it: every such batch is finished, so its rows no longer
 * change, and a row of a later or still running batch is left to the changes. A row is then never
 * both scanned and read again as a change, on either dialect, without holding one transaction
 * open over the whole scan.
 */
export async function readInteractionPairsThrough(store: Store): Promise<{ pairs: InteractionPairs; through: number }> {
  const through = await readInteractionWatermark(store);
  return { pairs: await pairsOf(store, through), through };
}
