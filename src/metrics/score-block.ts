/**
 * Scores a block of users against every item: `out[b · numItems + i] = u_b · v_i`, in float64.
 * Register-blocked, 4 users × 2 items at a time: eight independent accumulators hide the
 * latency of the floating-point adds, while each accumulator still sums its products in index
 * order, so every score equals the plain loop's `Σ_k u[k]·v[k]` bit for bit (the evaluation
 * stays deterministic and checkable against a naive implementation).
 */
// eslint-disable-next-line max-lines-per-function -- a register-blocked inner loop: its eight accumulators must stay in one function for the JIT
export function scoreBlock(
  userEmbeddings: Float32Array,
  itemEmbeddings: Float32Array,
  dim: number,
  block: readonly number[],
  numItems: number,
  out: Float64Array,
): void {
  const nb = block.length;
  let b = 0;
  for (; b + 4 <= nb; b += 4) {
    const u0 = block[b] * dim;
    const u1 = block[b + 1] * dim;
    const u2 = block[b + 2] * dim;
    const u3 = block[b + 3] * dim;
    const o0 = b * numItems;
    let i = 0;
    for (; i + 2 <= numItems; i += 2) {
      const v0 = i * dim;
      const v1 = v0 + dim;
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0,
        s20 = 0,
        s21 = 0,
        s30 = 0,
        s31 = 0;
      for (let k = 0; k < dim; k++) {
        const a = itemEmbeddings[v0 + k];
        const c = itemEmbeddings[v1 + k];
        const x0 = userEmbeddings[u0 + k];
        const x1 = userEmbeddings[u1 + k];
        const x2 = userEmbeddings[u2 + k];
        const x3 = userEmbeddings[u3 + k];
        s00 += x0 * a;
        s01 += x0 * c;
        s10 += x1 * a;
        s11 += x1 * c;
        s20 += x2 * a;
        s21 += x2 * c;
        s30 += x3 * a;
        s31 += x3 * c;
      }
      out[o0 + i] = s00;
      out[o0 + i + 1] = s01;
      out[o0 + numItems + i] = s10;
      out[o0 + numItems + i + 1] = s11;
      out[o0 + 2 * numItems + i] = s20;
      out[o0 + 2 * numItems + i + 1] = s21;
      out[o0 + 3 * numItems + i] = s30;
      out[o0 + 3 * numItems + i + 1] = s31;
    }
    for (; i < numItems; i++) {
      for (let j = 0; j < 4; j++) out[o0 + j * numItems + i] = dot(userEmbeddings, block[b + j] * dim, itemEmbeddings, i * dim, dim);
    }
  }
  for (; b < nb; b++) {
    const u = block[b] * dim;
    for (let i = 0; i < numItems; i++) out[b * numItems + i] = dot(userEmbeddings, u, itemEmbeddings, i * dim, dim);
  }
}

function dot(x: Float32Array, xo: number, y: Float32Array, yo: number, dim: number): number {
  let s = 0;
  for (let k = 0; k < dim; k++) s += x[xo + k] * y[yo + k];
  return s;
}
