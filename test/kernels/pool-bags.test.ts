import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import type { Bags } from '../../src/kernels/bags.js';
import type { RowTable } from '../../src/kernels/row-table.js';
import { createSparseGradient } from '../../src/kernels/sparse-gradient.js';
import { pairedHalves } from './paired-halves.js';

const bags = (lists: number[][]): Bags => {
  const offsets = Int32Array.from([0, ...lists.map((_, b) => lists.slice(0, b + 1).reduce((s, l) => s + l.length, 0))]);
  return { offsets, rows: Int32Array.from(lists.flat()) };
};

function randomTable(rows: number, dim: number, seed: number): RowTable {
  const rng = createRng(seed);
  return { rows, dim, weights: Float32Array.from({ length: rows * dim }, () => rng.next() - 0.5) };
}

describe.each(pairedHalves())('poolBags / scatterBagGradients in %s', (_, paired) => {
  it('mean-pools a hand-checked case and leaves empty bags at zero', () => {
    const table: RowTable = { rows: 3, dim: 2, weights: Float32Array.from([1, 2, 3, 4, 10, 20]) };
    const out = new Float32Array(3 * 2);
    paired.poolBags(table, bags([[0, 2], [], [1, 1, 2]]), out, 2, 0);
    expect(Array.from(out)).toEqual([5.5, 11, 0, 0, 16 / 3, 28 / 3].map(Math.fround));
  });

  // dim 12: one 8-wide block plus 4 leftover columns, with stride/offset as in a concatenated tower.
  // The reference accumulates in float32 as the first implementation did: same seed, same model.
  it('matches a float32 per-element reference exactly, for a width that is not a multiple of 8', () => {
    const dim = 12;
    const table = randomTable(20, dim, 1);
    const rng = createRng(2);
    const lists = Array.from({ length: 30 }, (_, b) => Array.from({ length: b % 7 }, () => rng.int(20)));
    const stride = 3 * dim;
    const out = new Float32Array(30 * stride);
    paired.poolBags(table, bags(lists), out, stride, dim);
    lists.forEach((list, b) => {
      for (let k = 0; k < dim; k++) {
        const sum = list.reduce((s, r) => Math.fround(s + table.weights[r * dim + k]), 0);
        expect(out[b * stride + dim + k]).toBe(list.length === 0 ? 0 : Math.fround(sum * (1 / list.length)));
        expect(out[b * stride + k]).toBe(0);
      }
    });
  });

  it('scatters the exact transpose of pooling: <pool(W), G> = <W, scatter(G)>', () => {
    const dim = 12;
    const table = randomTable(15, dim, 3);
    const rng = createRng(4);
    const lists = Array.from({ length: 25 }, (_, b) => Array.from({ length: 1 + (b % 5) }, () => rng.int(15)));
    const grad = Float32Array.from({ length: 25 * dim }, () => rng.next() - 0.5);
    const pooled = new Float32Array(25 * dim);
    paired.poolBags(table, bags(lists), pooled, dim, 0);
    const g = createSparseGradient(table);
    paired.scatterBagGradients(grad, dim, 0, bags(lists), g);
    const lhs = pooled.reduce((s, v, i) => s + v * grad[i], 0);
    const rhs = table.weights.reduce((s, v, i) => s + v * g.values[i], 0);
    expect(rhs).toBeCloseTo(lhs, 5);
    expect(new Set(Array.from(g.touched.subarray(0, g.count)))).toEqual(new Set(lists.flat()));
  });
});
