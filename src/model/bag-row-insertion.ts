import type { Rng } from '../common/rng.js';
import type { BatchBags } from './batch-bags.js';

/**
 * Adds rows to each bag: one draw per row of the bag, and for each draw below `rate` a row picked
 * uniformly from `pool` appended to the bag (so a bag grows by `rate` of its length on average).
 * For the user's history bag with `pool` = every training interaction's row, the additions follow
 * the log's popularity: views that differ by interactions the user may not have meant, the
 * insertion augmentation of CL4SRec (Xie et al. 2022) and CoSeRec (Liu et al. 2021), so that the
 * user tower learns to hold its vector when a history gains stray items. An empty `pool` adds
 * nothing. Returns new bags; the original rows keep their order, ahead of the added ones.
 */
export function insertBagRows(bags: BatchBags, rate: number, pool: Int32Array, rng: Rng): BatchBags {
  const n = bags.offsets.length - 1;
  const offsets = new Int32Array(n + 1);
  const rows: number[] = [];
  for (let b = 0; b < n; b++) {
    const start = bags.offsets[b];
    const end = bags.offsets[b + 1];
    for (let p = start; p < end; p++) rows.push(bags.rows[p]);
    if (pool.length > 0) for (let p = start; p < end; p++) if (rng.next() < rate) rows.push(pool[rng.int(pool.length)]);
    offsets[b + 1] = rows.length;
  }
  return { offsets, rows: Int32Array.from(rows) };
}
