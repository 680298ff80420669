import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { nativeAddon } from '../../src/model/backend/native-addon.js';
import { poolBags, scatterBagGradients, type BatchBags } from '../../src/model/bag-pooling.js';
import { createEmbeddingTable } from '../../src/model/embedding-table.js';
import { createSparseGradient } from '../../src/model/sparse-gradient.js';
import { createSparseOptimizer } from '../../src/model/sparse-optimizer.js';

const addonBuilt = existsSync(path.join(import.meta.dirname, '..', '..', 'build', 'Release', 'contrarec_native.node'));
if (!addonBuilt) console.warn('native table-routine tests skipped: build/Release/contrarec_native.node is missing (run `npm run build:native`)');

/** Random bags over `rows` table rows, some empty (a dropped feature), some long (a history). */
function randomBags(n: number, rows: number, seed: number): BatchBags {
  const rng = createRng(seed);
  const lists = Array.from({ length: n }, (_, b) => Array.from({ length: b % 9 === 0 ? 0 : rng.int(60) + 1 }, () => rng.int(rows)));
  const offsets = new Int32Array(n + 1);
  lists.forEach((l, b) => (offsets[b + 1] = offsets[b] + l.length));
  return { offsets, rows: Int32Array.from(lists.flat()) };
}

// The native routines promise the JavaScript loops' exact arithmetic, so that a model trains to the
// same weights with or without the addon: equality here is bit for bit, not approximate.
describe.skipIf(!addonBuilt)('native embedding-table routines', () => {
  const native = nativeAddon();

  it('load on this machine', () => {
    expect(native).toBeDefined();
  });

  for (const dim of [64, 12]) {
    it(`pool and scatter exactly as the JavaScript loops (dim ${dim}, concatenated layout)`, () => {
      const table = createEmbeddingTable(500, dim, createRng(1), 0.1);
      const bags = randomBags(300, 500, 2);
      const stride = 3 * dim;
      const [inJs, inC] = [new Float32Array(300 * stride), new Float32Array(300 * stride)].map((out) => out.fill(0.25));
      poolBags(table, bags, inJs, stride, dim, null);
      poolBags(table, bags, inC, stride, dim, native);
      expect(inC).toEqual(inJs);
      const rng = createRng(3);
      const grad = Float32Array.from({ length: 300 * stride }, () => rng.normal());
      const [gJs, gC] = [createSparseGradient(table), createSparseGradient(table)];
      scatterBagGradients(grad, stride, dim, bags, gJs, null);
      scatterBagGradients(grad, stride, dim, bags, gC, native);
      expect(gC.count).toBe(gJs.count);
      expect(gC.touched).toEqual(gJs.touched);
      expect(gC.isTouched).toEqual(gJs.isTouched);
      expect(gC.values).toEqual(gJs.values);
    });
  }

  it('lazy Adam updates exactly as the JavaScript loop over several steps', () => {
    const tables = [createEmbeddingTable(200, 64, createRng(4), 0.1), createEmbeddingTable(200, 64, createRng(4), 0.1)];
    const optimizers = [createSparseOptimizer('adam', 200 * 64, 0.01, null), createSparseOptimizer('adam', 200 * 64, 0.01, native)];
    for (let step = 0; step < 4; step++) {
      const bags = randomBags(64, 200, 10 + step);
      const rng = createRng(20 + step);
      const grad = Float32Array.from({ length: 64 * 64 }, () => rng.normal());
      tables.forEach((table, i) => {
        const g = createSparseGradient(table);
        scatterBagGradients(grad, 64, 0, bags, g, null);
        optimizers[i].step(g);
      });
      expect(tables[1].weights).toEqual(tables[0].weights);
    }
  });

  it('rejects a row outside the table and a short output, naming the argument', () => {
    const table = createEmbeddingTable(10, 4, createRng(5), 0.1);
    const outside: BatchBags = { offsets: Int32Array.from([0, 2]), rows: Int32Array.from([1, 10]) };
    expect(() => poolBags(table, outside, new Float32Array(4), 4, 0, native)).toThrow('poolBags: row 10 is outside the table');
    const bags: BatchBags = { offsets: Int32Array.from([0, 1, 2]), rows: Int32Array.from([1, 2]) };
    expect(() => poolBags(table, bags, new Float32Array(4), 4, 0, native)).toThrow('poolBags: argument 4 holds 4 elements, needs 8');
  });
});
