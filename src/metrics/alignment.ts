/**
 * Alignment of positive pairs (Wang & Isola 2020, "Understanding Contrastive Representation
 * Learning through Alignment and Uniformity on the Hypersphere"): the mean distance between
 * the two embeddings of a positive pair. Lower is better.
 *
 *   L_align = E_{(x,y) ~ positives} ‖f(x) − f(y)‖₂^α,   α = 2 by default
 *
 * `x` and `y` are row-major [n, dim] and row i of x is paired with row i of y (for example a
 * user and an item they interacted with). The embeddings are used as given: pass
 * L2-normalised vectors to get the paper's quantity (then 0 ≤ L_align ≤ 2^α).
 */
export function alignment(x: Float32Array, y: Float32Array, dim: number, alpha = 2): number {
  if (x.length !== y.length || x.length % dim !== 0) {
    throw new RangeError(`alignment: x and y must both be [n, ${dim}], got lengths ${x.length} and ${y.length}`);
  }
  const n = x.length / dim;
  if (n === 0) throw new RangeError('alignment: no pairs');
  let total = 0;
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let k = i * dim, end = k + dim; k < end; k++) {
      const diff = x[k] - y[k];
      sq += diff * diff;
    }
    total += alpha === 2 ? sq : Math.pow(Math.sqrt(sq), alpha);
  }
  return total / n;
}
