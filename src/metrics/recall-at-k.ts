import type { ItemSet } from './item-set.js';

/**
 * Recall@K of one user, RecBole's definition (the denominator is |T(u)|, not min(K, |T(u)|)):
 *
 *   Recall@K(u) = |top_K(u) ∩ T(u)| / |T(u)|
 *
 * `ranked` holds item indices best first (only the first K are read). Returns 0 when the
 * truth is empty; callers average over users with |T(u)| ≥ 1 only.
 */
export function recallAtK(ranked: ArrayLike<number>, truth: ItemSet, k: number): number {
  if (truth.size === 0) return 0;
  const n = Math.min(k, ranked.length);
  let hits = 0;
  for (let r = 0; r < n; r++) if (truth.has(ranked[r])) hits++;
  return hits / truth.size;
}
