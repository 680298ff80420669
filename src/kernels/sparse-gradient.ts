import type { RowTable } from './row-table.js';

/**
 * The gradient of one embedding table for one step, dense storage but with the list of touched
 * rows, so that the optimizer visits (and clears) only those. Memory is one copy of the table.
 */
export interface SparseGradient {
  readonly table: RowTable;
  readonly values: Float32Array;
  readonly touched: Int32Array;
  count: number;
  readonly isTouched: Uint8Array;
}

/** An empty gradient buffer for `table`. */
export function createSparseGradient(table: RowTable): SparseGradient {
  return {
    table,
    values: new Float32Array(table.weights.length),
    touched: new Int32Array(table.rows),
    count: 0,
    isTouched: new Uint8Array(table.rows),
  };
}

/** Records that `row` has a gradient this step (idempotent). */
export function markTouched(g: SparseGradient, row: number): void {
  if (g.isTouched[row] === 0) {
    g.isTouched[row] = 1;
    g.touched[g.count++] = row;
  }
}

/** Adds `scale · src[srcOffset .. srcOffset+dim)` to row `row` of the gradient. */
export function addRowGradient(g: SparseGradient, row: number, src: Float32Array, srcOffset: number, scale: number): void {
  if (g.isTouched[row] === 0) {
    g.isTouched[row] = 1;
    g.touched[g.count++] = row;
  }
  const dim = g.table.dim;
  const base = row * dim;
  for (let k = 0; k < dim; k++) g.values[base + k] += scale * src[srcOffset + k];
}

/**
 * Zeroes the touched rows and forgets them (after the optimizer step): the JavaScript half of the
 * paired `clearSparseGradient` kernel. In C++ it is one call for all rows, where one `fill` per row
 * showed in the step's time (bench:train on the synthetic catalogue).
 */
export function clearSparseGradientInJs(g: SparseGradient): void {
  const dim = g.table.dim;
  for (let t = 0; t < g.count; t++) {
    const row = g.touched[t];
    g.values.fill(0, row * dim, row * dim + dim);
    g.isTouched[row] = 0;
  }
  g.count = 0;
}
