import type { Rng } from '../common/rng.js';
import type { BatchBags } from './batch-bags.js';

/**
 * Drops each row of each bag independently with probability `rate` (for the user's history bag:
 * views that differ in their interactions, the analogue of SGL's edge dropout, Wu et al. 2021).
 * A bag may become empty (pools to zero). Returns new bags.
 */
export function dropBagRows(bags: BatchBags, rate: number, rng: Rng): BatchBags {
  const n = bags.offsets.length - 1;
  const offsets = new Int32Array(n + 1);
  const kept: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let p = bags.offsets[b]; p < bags.offsets[b + 1]; p++) if (rng.next() >= rate) kept.push(bags.rows[p]);
    offsets[b + 1] = kept.length;
  }
  return { offsets, rows: Int32Array.from(kept) };
}
