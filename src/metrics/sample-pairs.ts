import type { Rng } from '../common/rng.js';

/**
 * Draws `count` random pairs (a, b) of distinct row indices in [0, n), with replacement,
 * as a flat `[a0, b0, a1, b1, ...]` array for `uniformity`: an unbiased estimate of the
 * all-pairs mean when n is too large for n² pairs.
 */
export function samplePairs(n: number, count: number, rng: Rng): Int32Array {
  if (n < 2) throw new RangeError(`samplePairs: needs at least 2 rows, got ${n}`);
  const pairs = new Int32Array(2 * count);
  for (let p = 0; p < count; p++) {
    const a = rng.int(n);
    let b = rng.int(n - 1);
    if (b >= a) b++;
    pairs[2 * p] = a;
    pairs[2 * p + 1] = b;
  }
  return pairs;
}
