import type { InteractionPairs } from '../store/index.js';

/**
 * The users' histories as a version loads them from the store, for live user vectors: model
 * user row u interacted with item row `itemRows[k]` at `ts[k]` (NaN: untimed) for k in
 * `offsets[u]..offsets[u + 1])`, in the store's (ts, user, item) order, repeats kept (the user
 * tower reads every interaction, as training does). Rows whose user or item the model does not
 * know (ingested since training) are kept apart by external id in `overlay`. Typed arrays, so a
 * worker hands them over without copying and each row costs a few bytes (`npm run bench:swap`
 * reports the server's RSS with them, over a store of 1M interactions).
 */
export interface LoadedHistory {
  /** The change watermark the rows cover: `readInteractionChanges` from it reads the rest. */
  readonly through: number;
  readonly offsets: Int32Array;
  readonly itemRows: Int32Array;
  readonly ts: Float64Array;
  /** The rows the model's rows cannot name, by external ids (few: those since training). */
  readonly overlay: { readonly users: readonly string[]; readonly items: readonly string[]; readonly ts: Float64Array };
}

/** {@link LoadedHistory} from the store's interaction pairs and the model's user and item ids. */
export function loadedHistoryOf(pairs: InteractionPairs, through: number, userIds: readonly string[], itemIds: readonly string[]): LoadedHistory {
  const userRowOf = new Map(userIds.map((id, row) => [id, row]));
  const itemRowOf = new Map(itemIds.map((id, row) => [id, row]));
  const userRow = Int32Array.from(pairs.userExternalIds, (id) => userRowOf.get(id) ?? -1);
  const itemRow = Int32Array.from(pairs.itemExternalIds, (id) => itemRowOf.get(id) ?? -1);
  const n = pairs.user.length;
  const starts = new Int32Array(userIds.length + 1);
  const overlay = { users: [] as string[], items: [] as string[], ts: [] as number[] };
  for (let k = 0; k < n; k++) {
    const u = userRow[pairs.user[k]];
    if (u >= 0 && itemRow[pairs.item[k]] >= 0) starts[u + 1]++;
    else {
      overlay.users.push(pairs.userExternalIds[pairs.user[k]]);
      overlay.items.push(pairs.itemExternalIds[pairs.item[k]]);
      overlay.ts.push(pairs.ts[k]);
    }
  }
  for (let u = 0; u < userIds.length; u++) starts[u + 1] += starts[u];
  const filled = starts.slice(0, userIds.length);
  const itemRows = new Int32Array(starts[userIds.length]);
  const ts = new Float64Array(starts[userIds.length]);
  for (let k = 0; k < n; k++) {
    const u = userRow[pairs.user[k]];
    const i = itemRow[pairs.item[k]];
    if (u < 0 || i < 0) continue;
    itemRows[filled[u]] = i;
    ts[filled[u]++] = pairs.ts[k];
  }
  return { through, offsets: starts, itemRows, ts, overlay: { users: overlay.users, items: overlay.items, ts: Float64Array.from(overlay.ts) } };
}
