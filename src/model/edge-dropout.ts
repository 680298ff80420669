import type { Rng } from '../common/rng.js';
import type { BagColumn } from '../data/bag-column.js';
import type { HistoryWindow } from './two-tower-model.js';

/** A batch's histories after edge dropout: entry b of the batch is "user" b of `history`. */
export interface ThinnedHistory {
  /** Row b: the kept interactions of the batch's user b, in the history's order. */
  readonly history: BagColumn;
  /** The batch's window, its positions moved onto `history` (a target is never dropped). */
  readonly window: HistoryWindow;
}

/**
 * SGL-style edge dropout for one view (Wu et al. 2021, "Self-supervised Graph Learning for
 * Recommendation", ED): each (user, item) interaction of a batch user's history is dropped with
 * probability `rate` before the history bag is formed, so the view's bag is drawn from the
 * thinned interactions (the window and the length cap apply to what is left, and older
 * interactions move up to fill it), unlike `dropBagRows`, which thins a bag already cut to its
 * window. One mask per user per call: a user twice in the batch has the same edges in the view,
 * as a subgraph would; two calls give two independent views. The example's own target is kept
 * so that the leave-target-out windows still leave it out. Pure given `rng`.
 *
 * @example
 *   const v = dropHistoryEdges(snapshot.userHistory, users, window, 0.3, rng);
 *   historyBag(v.history, identity(users.length), v.window, maxLength);
 */
export function dropHistoryEdges(history: BagColumn, users: ArrayLike<number>, window: HistoryWindow, rate: number, rng: Rng): ThinnedHistory {
  const n = users.length;
  const masks = new Map<number, Uint8Array>();
  const keptOf = (u: number): Uint8Array => {
    let mask = masks.get(u);
    if (mask === undefined) {
      mask = new Uint8Array(history.offsets[u + 1] - history.offsets[u]);
      for (let k = 0; k < mask.length; k++) mask[k] = rng.next() >= rate ? 1 : 0;
      masks.set(u, mask);
    }
    return mask;
  };
  const offsets = new Int32Array(n + 1);
  const ends = new Int32Array(n);
  const self = new Int32Array(n).fill(-1);
  const rows: number[] = [];
  for (let b = 0; b < n; b++) {
    const u = users[b];
    const first = history.offsets[u];
    const end = window.ends?.[b] ?? history.offsets[u + 1];
    const target = window.kind === 'all-but' ? window.self[b] : -1;
    const kept = keptOf(u);
    for (let p = first; p < end; p++) {
      if (p === target) self[b] = rows.length;
      if (kept[p - first] === 1 || p === target) rows.push(history.rows[p]);
    }
    ends[b] = offsets[b + 1] = rows.length;
  }
  const thinned = { offsets, rows: Int32Array.from(rows) };
  if (window.kind === 'before') return { history: thinned, window: { kind: 'before', ends } };
  return { history: thinned, window: { kind: 'all-but', self, rng: window.rng, ends: window.ends === undefined ? undefined : ends } };
}
