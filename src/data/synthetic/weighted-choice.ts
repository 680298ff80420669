import type { Rng } from '../../common/rng.js';

/**
 * Cumulative sums of non-negative weights, for `pickWeighted`. Built once per distribution
 * (a topic's Zipf popularity, a user's topic preferences), then sampled in O(log n).
 */
export function cumulativeWeights(weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) out[i] = total += weights[i];
  return out;
}

/** An index drawn with probability weight[i] / Σ weight, given `cumulativeWeights(weight)`. */
export function pickWeighted(cumulative: Float64Array, rng: Rng): number {
  return upperBound(cumulative, rng.next() * cumulative[cumulative.length - 1]);
}

/** The first index whose cumulative weight exceeds x (binary search). */
export function upperBound(cumulative: Float64Array, x: number): number {
  let a = 0;
  let b = cumulative.length - 1;
  while (a < b) {
    const m = (a + b) >> 1;
    if (cumulative[m] > x) b = m;
    else a = m + 1;
  }
  return a;
}

/** Fisher–Yates shuffle in place. */
export function shuffle<T extends { length: number; [i: number]: number }>(a: T, rng: Rng): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
