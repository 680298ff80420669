import type { Rng } from '../common/rng.js';

/**
 * Correlated feature masking (Yao et al. 2021, CFM): for each entity, pick a seed field uniformly
 * and drop it together with the fields most correlated with it, ⌈rate·F⌉ fields in all, so that a
 * view cannot recover a dropped field from its near-copy. `correlation` is [F · F] (e.g. mutual
 * information between fields); ties go to the lower field index. Row-major [B · F], 1 = dropped.
 */
export function correlatedFeatureMask(batchSize: number, numFields: number, correlation: Float64Array, rate: number, rng: Rng): Uint8Array {
  const count = Math.min(numFields, Math.ceil(rate * numFields));
  const ranked = Array.from({ length: numFields }, (_, s) =>
    Array.from({ length: numFields }, (_, f) => f)
      .filter((f) => f !== s)
      .sort((a, b) => correlation[s * numFields + b] - correlation[s * numFields + a] || a - b),
  );
  const mask = new Uint8Array(batchSize * numFields);
  for (let b = 0; b < batchSize; b++) {
    if (count === 0) continue;
    const seed = rng.int(numFields);
    mask[b * numFields + seed] = 1;
    for (let r = 0; r < count - 1; r++) mask[b * numFields + ranked[seed][r]] = 1;
  }
  return mask;
}
