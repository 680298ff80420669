import type { ItemSet } from './item-set.js';

/**
 * Recall@K restricted to the truth items inside a subset of the catalogue (the head or the
 * tail of `headItemMask`), so that the long tail is measured separately from the head:
 *
 *   T_S(u)          = T(u) ∩ S,   S = { i : mask[i] = want }
 *   SubRecall@K(u)  = |top_K(u) ∩ T_S(u)| / |T_S(u)|
 *
 * The ranking itself is not restricted (the user still sees head and tail items together).
 * Returns `undefined` when T_S(u) is empty: such users are skipped, not counted as 0.
 * `truthItems` lists T(u) (each item once).
 */
export function subsetRecallAtK(
  ranked: ArrayLike<number>,
  truthItems: ArrayLike<number>,
  truth: ItemSet,
  mask: Uint8Array,
  want: 0 | 1,
  k: number,
): number | undefined {
  let size = 0;
  for (let t = 0; t < truthItems.length; t++) if (mask[truthItems[t]] === want) size++;
  if (size === 0) return undefined;
  const n = Math.min(k, ranked.length);
  let hits = 0;
  for (let r = 0; r < n; r++) {
    const item = ranked[r];
    if (mask[item] === want && truth.has(item)) hits++;
  }
  return hits / size;
}
