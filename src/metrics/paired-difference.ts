/** The mean of a per-user difference between two rankings of the same users, and its standard error. */
export interface PairedDifference {
  /** Mean over the users of a[u] − b[u] (equal to mean(a) − mean(b)). */
  readonly difference: number;
  /**
   * Standard error of that mean: the sample standard deviation of the per-user differences
   * (n − 1 in the denominator) over √n; 0 with fewer than two users, where there is no spread
   * to measure.
   */
  readonly standardError: number;
  readonly users: number;
}

/**
 * The paired difference of two per-user figures (e.g. each hold-out user's Recall@K under the
 * candidate and under the active model, `a[p]` and `b[p]` of the same user p). Pairing removes
 * what the two rankings share (how hard each user is), so its standard error is the noise of the
 * comparison itself, much smaller than that of either mean. Two passes in float64. Pure.
 *
 * @example
 *   pairedDifference([0.5, 0, 1], [0.5, 0, 0]); // { difference: 1/3, standardError: 1/3, users: 3 }
 */
export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>): PairedDifference {
  if (a.length !== b.length) throw new RangeError(`pairedDifference: ${a.length} figures against ${b.length}; they must be of the same users`);
  const n = a.length;
  if (n === 0) return { difference: 0, standardError: 0, users: 0 };
  let sum = 0;
  for (let p = 0; p < n; p++) sum += a[p] - b[p];
  const mean = sum / n;
  if (n < 2) return { difference: mean, standardError: 0, users: n };
  let squares = 0;
  for (let p = 0; p < n; p++) {
    const d = a[p] - b[p] - mean;
    squares += d * d;
  }
  return { difference: mean, standardError: Math.sqrt(squares / (n - 1) / n), users: n };
}
