import type { Rng } from '../common/rng.js';
import type { BagColumn } from '../data/bag-column.js';
import { OOV_ROW } from '../data/vocabulary.js';

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
  // (an allocation) is measurable per step on large catalogues (`bench:train-ab -- --data synthetic`).
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
export function gatherLeaveOneOut(
  history: BagColumn,
  users: ArrayLike<number>,
  self: ArrayLike<number>,
  maxLength: number,
  rng: Rng,
  ends?: ArrayLike<number>,
): BatchBags {
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
