import type { ItemSet } from './item-set.js';

/**
 * HitRate@K of one user: 1 if at least one of the top K items is in the truth, else 0.
 *
 *   HitRate@K(u) = 1[ |top_K(u) ∩ T(u)| ≥ 1 ]
 */
export function hitRateAtK(ranked: ArrayLike<number>, truth: ItemSet, k: number): number {
  const n = Math.min(k, ranked.length);
  for (let r = 0; r < n; r++) if (truth.has(ranked[r])) return 1;
  return 0;
}
