import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { createSparseGradient } from '../../src/kernels/sparse-gradient.js';
import { createSparseOptimizer } from '../../src/kernels/sparse-optimizer.js';
import { createEmbeddingTable } from '../../src/model/embedding-table.js';
import { pairedHalves } from './paired-halves.js';

describe.each(pairedHalves())('sparse optimizers in %s', (_, paired) => {
  for (const kind of ['adam', 'adagrad'] as const) {
    it(`${kind} updates only the touched rows, in the descent direction`, () => {
      const table = createEmbeddingTable(6, 2, createRng(1), 0.1);
      const before = table.weights.slice();
      const g = createSparseGradient(table);
      // one bag {1, 4} with pooled gradient [1, -2]: each row gets [0.5, -1]
      paired.scatterBagGradients(Float32Array.from([1, -2]), 2, 0, { offsets: Int32Array.from([0, 2]), rows: Int32Array.from([1, 4]) }, g);
      expect(Array.from(g.touched.subarray(0, g.count))).toEqual([1, 4]);
      expect(Array.from(g.values.subarray(2, 4))).toEqual([0.5, -1]);
      createSparseOptimizer(paired, kind, table.weights.length, 0.01).step(g);
      for (let r = 0; r < 6; r++) {
        const changed = [0, 1].map((k) => table.weights[r * 2 + k] - before[r * 2 + k]);
        if (r === 1 || r === 4) {
          expect(changed[0]).toBeLessThan(0); // positive gradient → weight decreases
          expect(changed[1]).toBeGreaterThan(0);
        } else {
          expect(changed).toEqual([0, 0]);
        }
      }
      paired.clearSparseGradient(g);
      expect(g.count).toBe(0);
      expect(g.values.every((v) => v === 0)).toBe(true);
    });
  }

  it('lazy Adam: first step moves each touched entry by the learning rate', () => {
    // Adam's first bias-corrected step is lr · g/|g| (ε aside).
    const table = { rows: 2, dim: 1, weights: Float32Array.from([1, 1]) };
    const g = createSparseGradient(table);
    paired.scatterBagGradients(Float32Array.from([3]), 1, 0, { offsets: Int32Array.from([0, 1]), rows: Int32Array.from([0]) }, g);
    createSparseOptimizer(paired, 'adam', 2, 0.1).step(g);
    expect(table.weights[0]).toBeCloseTo(0.9, 5);
    expect(table.weights[1]).toBe(1);
  });
});
