import type { Rng } from '../common/rng.js';
import type { BagColumn } from '../data/bag-column.js';
import { OOV_ROW } from '../data/vocabulary.js';
import { nativeAddon, type NativeAddon } from './backend/native-addon.js';
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
  // A plain loop, not rows.set(subarray(…)): most bags hold one row, and a subarray per entity
  // (an allocation) cost 4–5 ms a step on 100k items.
  const from = column.rows;
  for (let b = 0; b < entities.length; b++) {
    const e = entities[b];
    let to = offsets[b];
    for (let p = column.offsets[e]; p < column.offsets[e + 1]; p++) rows[to++] = from[p];
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

/**
 * Leave-target-out history bags: for batch entry b, the rows of user `users[b]`'s history up to
 * `ends[b]` (absolute, exclusive; default the whole history) except the one at `self[b]` (an
 * absolute index into history.rows: the training target). With more than `maxLength` (> 0)
 * others, a random window of `maxLength` of them, circular from a random start, so each step sees
 * another subset. An empty result becomes the OOV row.
 */
export function gatherLeaveOneOut(history: BagColumn, users: ArrayLike<number>, self: ArrayLike<number>, maxLength: number, rng: Rng, ends?: ArrayLike<number>): BatchBags {
  const offsets = new Int32Array(users.length + 1);
  const starts = new Int32Array(users.length);
  const endOf = (b: number): number => (ends === undefined ? history.offsets[users[b] + 1] : ends[b]);
  for (let b = 0; b < users.length; b++) {
    const len = endOf(b) - history.offsets[users[b]];
    const others = len - 1;
    const take = maxLength > 0 ? Math.min(maxLength, others) : others;
    starts[b] = take < others ? rng.int(len) : 0;
    offsets[b + 1] = offsets[b] + Math.max(1, take);
  }
  const rows = new Int32Array(offsets[users.length]);
  for (let b = 0; b < users.length; b++) {
    const first = history.offsets[users[b]];
    const len = endOf(b) - first;
    const take = offsets[b + 1] - offsets[b];
    if (len <= 1) {
      rows[offsets[b]] = OOV_ROW;
      continue;
    }
    let to = offsets[b];
    for (let j = 0; to < offsets[b] + take; j++) {
      const p = first + ((starts[b] + j) % len);
      if (p !== self[b]) rows[to++] = history.rows[p];
    }
  }
  return { offsets, rows };
}

const f32 = Math.fround;

/** The widest table row the native routines take (`native/sparse.cc` keeps a row on the stack). */
const MAX_NATIVE_DIM = 256;

/** The native kernels when they can take tables of `dim` columns, else null (the JS loops). */
function nativeFor(dim: number): NativeAddon | null {
  return dim <= MAX_NATIVE_DIM ? (nativeAddon() ?? null) : null;
}

/**
 * Mean-pools each bag's table rows into `out[b·stride + offset ..]` (adds; empty bags add nothing).
 * `native` (default: the addon where it loads) runs it in C++ with bit-identical results, about
 * 2–3× faster; `null` runs the JavaScript loops.
 */
export function poolBags(table: EmbeddingTable, bags: BatchBags, out: Float32Array, stride: number, offset: number, native = nativeFor(table.dim)): void {
  const { dim, weights } = table;
  const { offsets, rows } = bags;
  if (native !== null) {
    native.poolBags(weights, dim, offsets, rows, out, stride, offset);
    return;
  }
  const n = offsets.length - 1;
  const wide = dim - (dim % 8);
  for (let b = 0; b < n; b++) {
    const lo = offsets[b];
    const hi = offsets[b + 1];
    if (hi === lo) continue;
    const inv = 1 / (hi - lo);
    const o = b * stride + offset;
    // Eight columns at a time in locals, the bag's rows inner: V8 keeps the sums in registers,
    // 2× faster than accumulating into a 64-wide array (history bags hold up to 50 rows). The sums
    // are rounded to float32 at every add, as that array did, so trained models stay bit-identical.
    for (let k = 0; k < wide; k += 8) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
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

/**
 * The backward of {@link poolBags}: each bag row receives the pooled gradient ÷ bag size. `native`
 * as for poolBags.
 */
export function scatterBagGradients(grad: Float32Array, stride: number, offset: number, bags: BatchBags, g: SparseGradient, native = nativeFor(g.table.dim)): void {
  const { offsets, rows } = bags;
  const dim = g.table.dim;
  if (native !== null) {
    g.count = native.scatterBagGradients(grad, stride, offset, offsets, rows, g.values, dim, g.isTouched, g.touched, g.count);
    return;
  }
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
    // As in poolBags: the eight shares stay in registers while the bag's rows are visited.
    for (let k = 0; k < wide; k += 8) {
      const s = src + k;
      const g0 = f32(grad[s] * inv), g1 = f32(grad[s + 1] * inv), g2 = f32(grad[s + 2] * inv), g3 = f32(grad[s + 3] * inv);
      const g4 = f32(grad[s + 4] * inv), g5 = f32(grad[s + 5] * inv), g6 = f32(grad[s + 6] * inv), g7 = f32(grad[s + 7] * inv);
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
