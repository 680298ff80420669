import type { ItemSet } from './item-set.js';

/**
 * NDCG@K of one user with binary relevance:
 *
 *   DCG@K(u)  = Σ_{r=1..K} 1[item at rank r ∈ T(u)] / log2(r + 1)
 *   IDCG@K(u) = Σ_{r=1..min(K, |T(u)|)} 1 / log2(r + 1)
 *   NDCG@K(u) = DCG@K(u) / IDCG@K(u)
 *
 * `ranked` holds item indices best first. Returns 0 when the truth is empty.
 */
export function ndcgAtK(ranked: ArrayLike<number>, truth: ItemSet, k: number): number {
  if (truth.size === 0) return 0;
  const n = Math.min(k, ranked.length);
  let dcg = 0;
  for (let r = 0; r < n; r++) if (truth.has(ranked[r])) dcg += 1 / Math.log2(r + 2);
  let idcg = 0;
  const ideal = Math.min(k, truth.size);
  for (let r = 0; r < ideal; r++) idcg += 1 / Math.log2(r + 2);
  return dcg / idcg;
}
