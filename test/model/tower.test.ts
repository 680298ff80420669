import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import type { Kernels } from '../../src/kernels/kernels.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import { createSparseGradient } from '../../src/kernels/sparse-gradient.js';
import type { BatchBags } from '../../src/model/batch-bags.js';
import { createTower, scatterTowerGradients, towerInput } from '../../src/model/tower.js';

const bags = (lists: number[][]): BatchBags => {
  const offsets = Int32Array.from([0, ...lists.map((_, b) => lists.slice(0, b + 1).reduce((s, l) => s + l.length, 0))]);
  return { offsets, rows: Int32Array.from(lists.flat()) };
};

describe('towerInput field combiner', () => {
  let kernels: Kernels;
  beforeAll(async () => {
    kernels = await selectBackend('cpu');
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
    const wide = towerInput(kernels.paired, concat, fieldBags);
    const narrow = towerInput(kernels.paired, sum, fieldBags);
    for (let b = 0; b < 2; b++) for (let k = 0; k < 4; k++) expect(narrow[b * 4 + k]).toBeCloseTo(wide[b * 8 + k] + wide[b * 8 + 4 + k], 6);
  });

  it('sends a summed tower the same input gradient into every field', () => {
    const sum = createTower(fields, 4, 'sum', [3], 0.1, createRng(5));
    const grads = sum.tables.map(createSparseGradient);
    scatterTowerGradients(kernels.paired, sum, Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), fieldBags, grads);
    expect(Array.from(grads[0].values.subarray(4, 8))).toEqual([1, 2, 3, 4]);
    expect(Array.from(grads[0].values.subarray(12, 16))).toEqual([5, 6, 7, 8]);
    expect(Array.from(grads[1].values.subarray(4, 8))).toEqual([0.5, 1, 1.5, 2]);
    expect(grads[1].count).toBe(2);
  });
});
