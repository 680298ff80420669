/**
 * Catalogue coverage@K: the fraction of the catalogue's items that appear in at least one
 * user's top K.
 *
 *   Coverage@K = |⋃_u top_K(u)| / |I|
 *
 * `rankings` holds one ranked list (item indices, best first) per evaluated user; only the
 * first K of each are read. `numItems` is |I|, the whole catalogue, including items that
 * never occur in training.
 */
export function coverageAtK(rankings: readonly ArrayLike<number>[], numItems: number, k: number): number {
  if (numItems <= 0) throw new RangeError(`coverageAtK: numItems must be positive, got ${numItems}`);
  const seen = new Uint8Array(numItems);
  let distinct = 0;
  for (const ranked of rankings) {
    const n = Math.min(k, ranked.length);
    for (let r = 0; r < n; r++) {
      const item = ranked[r];
      if (seen[item] === 0) {
        seen[item] = 1;
        distinct++;
      }
    }
  }
  return distinct / numItems;
}
