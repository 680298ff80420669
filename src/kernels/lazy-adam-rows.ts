import type { SparseGradient } from './sparse-gradient.js';

/**
 * One lazy Adam step on the rows `g` touched, in place: the moments `m` and `v` (as large as the
 * table) decay only for those rows, and `alpha` carries the global step's bias correction. The
 * JavaScript half of the paired `lazyAdamRows` kernel.
 */
export function lazyAdamRowsInJs(g: SparseGradient, m: Float32Array, v: Float32Array, alpha: number, beta1: number, beta2: number, eps: number): void {
  const { dim, weights } = g.table;
  for (let r = 0; r < g.count; r++) {
    const base = g.touched[r] * dim;
    for (let k = base; k < base + dim; k++) {
      const grad = g.values[k];
      m[k] = beta1 * m[k] + (1 - beta1) * grad;
      v[k] = beta2 * v[k] + (1 - beta2) * grad * grad;
      weights[k] -= (alpha * m[k]) / (Math.sqrt(v[k]) + eps);
    }
  }
}
