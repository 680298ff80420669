import type { Bags } from './bags.js';
import type { RowTable } from './row-table.js';

const f32 = Math.fround;

/**
 * Mean-pools each bag's table rows into `out[b·stride + offset ..]` (adds; empty bags add nothing):
 * the JavaScript half of the paired `poolBags` kernel, bit-identical to `native/sparse.cc`'s.
 */
export function poolBagsInJs(table: RowTable, bags: Bags, out: Float32Array, stride: number, offset: number): void {
  const { dim, weights } = table;
  const { offsets, rows } = bags;
  const n = offsets.length - 1;
  const wide = dim - (dim % 8);
  for (let b = 0; b < n; b++) {
    const lo = offsets[b];
    const hi = offsets[b + 1];
    if (hi === lo) continue;
    const inv = 1 / (hi - lo);
    const o = b * stride + offset;
    // Eight columns at a time in locals, the bag's rows inner: V8 keeps the sums in registers,
    // faster than accumulating into a 64-wide array (bench:train, with history bags). The sums
    // are rounded to float32 at every add, as that array did, so trained models stay bit-identical.
    for (let k = 0; k < wide; k += 8) {
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0,
        a4 = 0,
        a5 = 0,
        a6 = 0,
        a7 = 0;
      for (let p = lo; p < hi; p++) {
        const j = rows[p] * dim + k;
        a0 = f32(a0 + weights[j]);
        a1 = f32(a1 + weights[j + 1]);
        a2 = f32(a2 + weights[j + 2]);
        a3 = f32(a3 + weights[j + 3]);
        a4 = f32(a4 + weights[j + 4]);
        a5 = f32(a5 + weights[j + 5]);
        a6 = f32(a6 + weights[j + 6]);
        a7 = f32(a7 + weights[j + 7]);
      }
      out[o + k] += a0 * inv;
      out[o + k + 1] += a1 * inv;
      out[o + k + 2] += a2 * inv;
      out[o + k + 3] += a3 * inv;
      out[o + k + 4] += a4 * inv;
      out[o + k + 5] += a5 * inv;
      out[o + k + 6] += a6 * inv;
      out[o + k + 7] += a7 * inv;
    }
    for (let k = wide; k < dim; k++) {
      let a = 0;
      for (let p = lo; p < hi; p++) a = f32(a + weights[rows[p] * dim + k]);
      out[o + k] += a * inv;
    }
  }
}
