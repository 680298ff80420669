import type { Bags } from './bags.js';
import { markTouched, type SparseGradient } from './sparse-gradient.js';

const f32 = Math.fround;

/**
 * The backward of `poolBagsInJs`: each bag row receives the pooled gradient ÷ bag size, and is
 * marked touched in `g`. The JavaScript half of the paired `scatterBagGradients` kernel.
 */
export function scatterBagGradientsInJs(grad: Float32Array, stride: number, offset: number, bags: Bags, g: SparseGradient): void {
  const { offsets, rows } = bags;
  const dim = g.table.dim;
  const n = offsets.length - 1;
  const values = g.values;
  const wide = dim - (dim % 8);
  for (let b = 0; b < n; b++) {
    const lo = offsets[b];
    const hi = offsets[b + 1];
    if (hi === lo) continue;
    for (let p = lo; p < hi; p++) markTouched(g, rows[p]);
    const inv = 1 / (hi - lo);
    const src = b * stride + offset;
    // As in poolBagsInJs: the eight shares stay in registers while the bag's rows are visited.
    for (let k = 0; k < wide; k += 8) {
      const s = src + k;
      const g0 = f32(grad[s] * inv),
        g1 = f32(grad[s + 1] * inv),
        g2 = f32(grad[s + 2] * inv),
        g3 = f32(grad[s + 3] * inv);
      const g4 = f32(grad[s + 4] * inv),
        g5 = f32(grad[s + 5] * inv),
        g6 = f32(grad[s + 6] * inv),
        g7 = f32(grad[s + 7] * inv);
      for (let p = lo; p < hi; p++) {
        const j = rows[p] * dim + k;
        values[j] += g0;
        values[j + 1] += g1;
        values[j + 2] += g2;
        values[j + 3] += g3;
        values[j + 4] += g4;
        values[j + 5] += g5;
        values[j + 6] += g6;
        values[j + 7] += g7;
      }
    }
    for (let k = wide; k < dim; k++) {
      const share = f32(grad[src + k] * inv);
      for (let p = lo; p < hi; p++) values[rows[p] * dim + k] += share;
    }
  }
}
