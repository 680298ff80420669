import { sqliteOf, type Store } from './store.js';
import { UNTIMED_TS } from './untimed.js';

/** Interactions as internal ids, in (ts, user, item) order, with deleted items already left out. */
export interface RawInteractions {
  readonly n: number;
  /** Internal user ids (users.id). */
  readonly userId: Int32Array;
  /** Internal item ids (items.id). */
  readonly itemId: Int32Array;
  /** Unix seconds; NaN for an untimed interaction (these come first). */
  readonly ts: Float64Array;
  readonly weight: Float32Array;
  /** Largest users.id / items.id in the tables, for dense lookup arrays. */
  readonly maxUserId: number;
  readonly maxItemId: number;
}

/**
 * Reads every interaction with `ts < until` (and, given `throughBatch`, written by no batch after
 * it: the rows a change watermark has already covered) in one pass over the primary key (already in
 * (ts, user, item) order, so no sort), into growable typed arrays. Untimed interactions are
 * stored under {@link UNTIMED_TS}, the smallest key: they come first, are always before
 * `until`, and their ts is given as NaN so that no caller mistakes the key for a time.
 * Deleted items are filtered in JS against a flag array rather than by a join, which would
 * cost an index probe per row.
 */
export function scanInteractions(store: Store, until: number = Number.MAX_SAFE_INTEGER, throughBatch?: number): RawInteractions {
  const { sqlite } = sqliteOf(store);
  const maxUserId = (sqlite.prepare('select coalesce(max(id), 0) from users').pluck().get() as number) ?? 0;
  const maxItemId = (sqlite.prepare('select coalesce(max(id), 0) from items').pluck().get() as number) ?? 0;
  const deleted = new Uint8Array(maxItemId + 1);
  for (const id of sqlite.prepare('select id from items where deleted_at is not null').pluck().iterate() as IterableIterator<number>) {
    deleted[id] = 1;
  }
  let cap = 1 << 16;
  let userId = new Int32Array(cap);
  let itemId = new Int32Array(cap);
  let ts = new Float64Array(cap);
  let weight = new Float32Array(cap);
  let n = 0;
  const inBatches = throughBatch === undefined ? '' : ' and (batch_id is null or batch_id <= ?)';
  const rows = sqlite
    .prepare(`select user_id, item_id, ts, weight from interactions where ts < ?${inBatches} order by ts, user_id, item_id`)
    .raw()
    .iterate(...(throughBatch === undefined ? [until] : [until, throughBatch])) as IterableIterator<[number, number, number, number]>;
  for (const [u, it, t, w] of rows) {
    if (deleted[it] === 1) continue;
    if (n === cap) {
      cap *= 2;
      userId = grow(userId, new Int32Array(cap));
      itemId = grow(itemId, new Int32Array(cap));
      ts = grow(ts, new Float64Array(cap));
      weight = grow(weight, new Float32Array(cap));
    }
    userId[n] = u;
    itemId[n] = it;
    ts[n] = t === UNTIMED_TS ? NaN : t;
    weight[n] = w;
    n++;
  }
  return {
    n,
    userId: userId.subarray(0, n),
    itemId: itemId.subarray(0, n),
    ts: ts.subarray(0, n),
    weight: weight.subarray(0, n),
    maxUserId,
    maxItemId,
  };
}

function grow<T extends Int32Array | Float64Array | Float32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
