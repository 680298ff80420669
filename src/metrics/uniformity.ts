/**
 * Uniformity of a set of embeddings (Wang & Isola 2020): the log of the mean Gaussian
 * potential over pairs. Lower (more negative) is more uniform; a collapsed encoder, where all
 * vectors coincide, scores 0, the maximum.
 *
 *   L_uniform = log E_{(x,y) ~ pairs} exp(−t ‖f(x) − f(y)‖₂²),   t = 2 by default
 *
 * `emb` is row-major [n, dim]. `pairs` lists row index pairs flat, `[a0, b0, a1, b1, ...]`
 * (see `samplePairs`); without it every pair i < j is used, which is meant for small n.
 * Computed with log-sum-exp so that far-apart un-normalised vectors do not underflow to −∞.
 */
export function uniformity(emb: Float32Array, dim: number, options: { t?: number; pairs?: Int32Array } = {}): number {
  const t = options.t ?? 2;
  const n = emb.length / dim;
  if (!Number.isInteger(n)) throw new RangeError(`uniformity: emb length ${emb.length} is not a multiple of dim ${dim}`);
  const pairs = options.pairs ?? allPairs(n);
  const m = pairs.length / 2;
  if (m < 1) throw new RangeError('uniformity: needs at least one pair');
  const logits = new Float64Array(m);
  let max = -Infinity;
  for (let p = 0; p < m; p++) {
    const a = pairs[2 * p] * dim;
    const b = pairs[2 * p + 1] * dim;
    let sq = 0;
    for (let k = 0; k < dim; k++) {
      const diff = emb[a + k] - emb[b + k];
      sq += diff * diff;
    }
    logits[p] = -t * sq;
    if (logits[p] > max) max = logits[p];
  }
  let sum = 0;
  for (let p = 0; p < m; p++) sum += Math.exp(logits[p] - max);
  return max + Math.log(sum / m);
}

function allPairs(n: number): Int32Array {
  const pairs = new Int32Array(n * (n - 1));
  let w = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      pairs[w++] = i;
      pairs[w++] = j;
    }
  }
  return pairs;
}
