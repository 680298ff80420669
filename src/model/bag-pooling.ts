import type { BagColumn } from '../data/bag-column.js';
import { OOV_ROW } from '../data/vocabulary.js';
import type { EmbeddingTable } from './embedding-table.js';
import { markTouched, type SparseGradient } from './sparse-gradient.js';

/**
 * The bags of a batch: entity b of the batch owns `rows[offsets[b] .. offsets[b+1])`. An empty bag
 * (a feature dropped by an augmentation) pools to the zero vector and receives no gradient.
 */
export type BatchBags = BagColumn;

/** Copies the bags of `entities` out of a per-entity column. */
export function gatherBags(column: BagColumn, entities: ArrayLike<number>): BatchBags {
  const offsets = new Int32Array(entities.length + 1);
  for (let b = 0; b < entities.length; b++) {
    const e = entities[b];
    offsets[b + 1] = offsets[b] + column.offsets[e + 1] - column.offsets[e];
  }
  const rows = new Int32Array(offsets[entities.length]);
  for (let b = 0; b < entities.length; b++) {
    const e = entities[b];
    rows.set(column.rows.subarray(column.offsets[e], column.offsets[e + 1]), offsets[b]);
  }
  return { offsets, rows };
}

/**
 * History bags: for batch entry b, the last `maxLength` (0 = all) rows of `history` of user
 * `users[b]` that end before `ends[b]` (an absolute index into history.rows; the target is at or
 * after it, so it never leaks in). An empty history becomes the OOV row ("no history yet").
 */
export function gatherHistory(history: BagColumn, users: ArrayLike<number>, ends: ArrayLike<number>, maxLength: number): BatchBags {
  const starts = new Int32Array(users.length);
  const offsets = new Int32Array(users.length + 1);
  for (let b = 0; b < users.length; b++) {
    const first = history.offsets[users[b]];
    starts[b] = maxLength > 0 ? Math.max(first, ends[b] - maxLength) : first;
    offsets[b + 1] = offsets[b] + Math.max(1, ends[b] - starts[b]);
  }
  const rows = new Int32Array(offsets[users.length]);
  for (let b = 0; b < users.length; b++) {
    if (ends[b] > starts[b]) rows.set(history.rows.subarray(starts[b], ends[b]), offsets[b]);
    else rows[offsets[b]] = OOV_ROW;
  }
  return { offsets, rows };
}

/** Mean-pools each bag's table rows into `out[b·stride + offset ..]` (zeros for empty bags). */
export function poolBags(table: EmbeddingTable, bags: BatchBags, out: Float32Array, stride: number, offset: number): void {
  const { dim, weights } = table;
  const n = bags.offsets.length - 1;
  // Sum, then scale once: a history bag holds up to 50 rows.
  const sum = new Float32Array(dim);
  for (let b = 0; b < n; b++) {
    const lo = bags.offsets[b];
    const hi = bags.offsets[b + 1];
    if (hi === lo) continue;
    sum.fill(0);
    for (let p = lo; p < hi; p++) {
      const base = bags.rows[p] * dim;
      for (let k = 0; k < dim; k++) sum[k] += weights[base + k];
    }
    const inv = 1 / (hi - lo);
    const o = b * stride + offset;
    for (let k = 0; k < dim; k++) out[o + k] += sum[k] * inv;
  }
}

/** The backward of {@link poolBags}: each bag row receives the pooled gradient ÷ bag size. */
export function scatterBagGradients(grad: Float32Array, stride: number, offset: number, bags: BatchBags, g: SparseGradient): void {
  const n = bags.offsets.length - 1;
  const dim = g.table.dim;
  const values = g.values;
  const share = new Float32Array(dim);
  for (let b = 0; b < n; b++) {
    const lo = bags.offsets[b];
    const hi = bags.offsets[b + 1];
    if (hi === lo) continue;
    const inv = 1 / (hi - lo);
    const src = b * stride + offset;
    for (let k = 0; k < dim; k++) share[k] = grad[src + k] * inv;
    for (let p = lo; p < hi; p++) {
      const row = bags.rows[p];
      markTouched(g, row);
      const base = row * dim;
      for (let k = 0; k < dim; k++) values[base + k] += share[k];
    }
  }
}

/** Stacks batches of bags (same field) one after another: [a's entities, b's entities, …]. */
export function concatBatchBags(parts: readonly BatchBags[]): BatchBags {
  const n = parts.reduce((s, p) => s + p.offsets.length - 1, 0);
  const offsets = new Int32Array(n + 1);
  const rows = new Int32Array(parts.reduce((s, p) => s + p.rows.length, 0));
  let e = 0;
  let r = 0;
  for (const p of parts) {
    const m = p.offsets.length - 1;
    for (let b = 0; b < m; b++) offsets[e + b + 1] = r + p.offsets[b + 1];
    rows.set(p.rows, r);
    e += m;
    r += p.rows.length;
  }
  return { offsets, rows };
}
