import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { selectBackend } from '../../src/model/backend/select-backend.js';
import { gatherLeaveOneOut, poolBags, scatterBagGradients, type BatchBags } from '../../src/model/bag-pooling.js';
import { OOV_ROW } from '../../src/data/vocabulary.js';
import type { EmbeddingTable } from '../../src/model/embedding-table.js';
import { createSparseGradient } from '../../src/model/sparse-gradient.js';
import { createTower, scatterTowerGradients, towerInput } from '../../src/model/tower.js';

const bags = (lists: number[][]): BatchBags => {
  const offsets = Int32Array.from([0, ...lists.map((_, b) => lists.slice(0, b + 1).reduce((s, l) => s + l.length, 0))]);
  return { offsets, rows: Int32Array.from(lists.flat()) };
};

function randomTable(rows: number, dim: number, seed: number): EmbeddingTable {
  const rng = createRng(seed);
  return { rows, dim, weights: Float32Array.from({ length: rows * dim }, () => rng.next() - 0.5) };
}

describe('poolBags / scatterBagGradients', () => {
  it('mean-pools a hand-checked case and leaves empty bags at zero', () => {
    const table: EmbeddingTable = { rows: 3, dim: 2, weights: Float32Array.from([1, 2, 3, 4, 10, 20]) };
    const out = new Float32Array(3 * 2);
    poolBags(table, bags([[0, 2], [], [1, 1, 2]]), out, 2, 0);
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
    poolBags(table, bags(lists), out, stride, dim);
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
    poolBags(table, bags(lists), pooled, dim, 0);
    const g = createSparseGradient(table);
    scatterBagGradients(grad, dim, 0, bags(lists), g);
    const lhs = pooled.reduce((s, v, i) => s + v * grad[i], 0);
    const rhs = table.weights.reduce((s, v, i) => s + v * g.values[i], 0);
    expect(rhs).toBeCloseTo(lhs, 5);
    expect(new Set(Array.from(g.touched.subarray(0, g.count)))).toEqual(new Set(lists.flat()));
  });
});

describe('towerInput field combiner', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  const fields = [
    { name: 'id', kind: 'categorical' as const, tokens: ['', 'a', 'b', 'c'], boundaries: [] },
    { name: 'tags', kind: 'multi' as const, tokens: ['', 'x', 'y'], boundaries: [] },
  ];
  const fieldBags = [bags([[1], [3]]), bags([[1, 2], []])];

  it('concatenates the fields, or sums them into one embedding-wide input', () => {
    const concat = createTower(fields, 4, 'concat', [3], 0.1, createRng(5));
    const sum = createTower(fields, 4, 'sum', [3], 0.1, createRng(5));
    expect(concat.mlp.inputSize).toBe(8);
    expect(sum.mlp.inputSize).toBe(4);
    const wide = towerInput(concat, fieldBags);
    const narrow = towerInput(sum, fieldBags);
    for (let b = 0; b < 2; b++) for (let k = 0; k < 4; k++) expect(narrow[b * 4 + k]).toBeCloseTo(wide[b * 8 + k] + wide[b * 8 + 4 + k], 6);
  });

  it('sends a summed tower the same input gradient into every field', () => {
    const sum = createTower(fields, 4, 'sum', [3], 0.1, createRng(5));
    const grads = sum.tables.map(createSparseGradient);
    scatterTowerGradients(sum, Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), fieldBags, grads);
    expect(Array.from(grads[0].values.subarray(4, 8))).toEqual([1, 2, 3, 4]);
    expect(Array.from(grads[0].values.subarray(12, 16))).toEqual([5, 6, 7, 8]);
    expect(Array.from(grads[1].values.subarray(4, 8))).toEqual([0.5, 1, 1.5, 2]);
    expect(grads[1].count).toBe(2);
  });
});

describe('gatherLeaveOneOut', () => {
  // user 0 owns rows [10, 11, 12, 13, 14] at positions 0..4; user 1 owns [20] at 5; user 2 [30, 31] at 6..7
  const history = { offsets: Int32Array.from([0, 5, 6, 8]), rows: Int32Array.from([10, 11, 12, 13, 14, 20, 30, 31]) };

  it('every other row of the user, the target left out; a lone item becomes the OOV row', () => {
    const bags = gatherLeaveOneOut(history, [0, 1, 2], [2, 5, 7], 0, createRng(1));
    expect(Array.from(bags.offsets)).toEqual([0, 4, 5, 6]);
    expect(Array.from(bags.rows.subarray(0, 4)).sort()).toEqual([10, 11, 13, 14]);
    expect(bags.rows[4]).toBe(OOV_ROW);
    expect(bags.rows[5]).toBe(30);
  });

  it('above the cap: a window of cap distinct rows, never the target, varying from call to call', () => {
    const rng = createRng(3);
    const seen = new Set<string>();
    for (let t = 0; t < 50; t++) {
      const bags = gatherLeaveOneOut(history, [0], [1], 2, rng);
      const rows = Array.from(bags.rows);
      expect(rows).toHaveLength(2);
      expect(new Set(rows).size).toBe(2);
      expect(rows).not.toContain(11);
      seen.add(rows.sort().join());
    }
    expect(seen.size).toBeGreaterThan(2);
  });
});
