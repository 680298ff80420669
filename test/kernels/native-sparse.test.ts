import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import type { Bags } from '../../src/kernels/bags.js';
import { nativeAddon } from '../../src/kernels/native-addon.js';
import { JS_PAIRED_KERNELS, nativePairedKernels } from '../../src/kernels/paired-kernels.js';
import { createSparseGradient } from '../../src/kernels/sparse-gradient.js';
import { createSparseOptimizer } from '../../src/kernels/sparse-optimizer.js';
import { createEmbeddingTable } from '../../src/model/embedding-table.js';
import { skipWithout } from '../missing-dependency.js';

const addonBuilt = existsSync(path.join(import.meta.dirname, '..', '..', 'build', 'Release', 'contrarec_native.node'));

/** Random bags over `rows` table rows, some empty (a dropped feature), some long (a history). */
function randomBags(n: number, rows: number, seed: number): Bags {
  const rng = createRng(seed);
  const lists = Array.from({ length: n }, (_, b) => Array.from({ length: b % 9 === 0 ? 0 : rng.int(60) + 1 }, () => rng.int(rows)));
  const offsets = new Int32Array(n + 1);
  lists.forEach((l, b) => (offsets[b + 1] = offsets[b] + l.length));
  return { offsets, rows: Int32Array.from(lists.flat()) };
}

/** Index of the first element whose bits differ (-1: none); cheap where toEqual on 400k floats is not. */
function firstDifference(a: Float32Array | Int32Array | Uint8Array, b: typeof a): number {
  if (a.length !== b.length) return 0;
  const [x, y] = [new Uint8Array(a.buffer, a.byteOffset, a.byteLength), new Uint8Array(b.buffer, b.byteOffset, b.byteLength)];
  const i = x.findIndex((v, k) => v !== y[k]);
  return i < 0 ? -1 : Math.floor(i / a.BYTES_PER_ELEMENT);
}

// The native routines promise the JavaScript loops' exact arithmetic, so that a model trains to the
// same weights with or without the addon: equality here is bit for bit, not approximate.
describe.skipIf(skipWithout('build/Release/contrarec_native.node', !addonBuilt, 'run `npm run build:native`'))('native embedding-table routines', () => {
  const native = nativeAddon();
  const js = JS_PAIRED_KERNELS;
  // Defined whenever this block runs (the addon is built); the guard keeps a broken load a failure.
  const cpp = native === undefined ? JS_PAIRED_KERNELS : nativePairedKernels(native);

  it('load on this machine', () => {
    expect(native).toBeDefined();
    expect(cpp.native).toBe(true);
  });

  // The sizes cover both sides of the kernels' threshold for a second thread (16,384 row visits
  // when pooling; visits × dim / 16 when scattering and updating).
  // dim 300 is wider than the native routines take: it goes to the JavaScript loops, same results.
  for (const [dim, n] of [
    [64, 1200],
    [12, 300],
    [300, 40],
  ]) {
    it(`pool and scatter exactly as the JavaScript loops (dim ${dim}, ${n} bags, concatenated layout)`, () => {
      const table = createEmbeddingTable(500, dim, createRng(1), 0.1);
      const bags = randomBags(n, 500, 2);
      const stride = 3 * dim;
      const [inJs, inC] = [new Float32Array(n * stride), new Float32Array(n * stride)].map((out) => out.fill(0.25));
      js.poolBags(table, bags, inJs, stride, dim);
      cpp.poolBags(table, bags, inC, stride, dim);
      expect(firstDifference(inC, inJs)).toBe(-1);
      const rng = createRng(3);
      const grad = Float32Array.from({ length: n * stride }, () => rng.normal());
      const [gJs, gC] = [createSparseGradient(table), createSparseGradient(table)];
      js.scatterBagGradients(grad, stride, dim, bags, gJs);
      cpp.scatterBagGradients(grad, stride, dim, bags, gC);
      expect(gC.count).toBe(gJs.count);
      expect(firstDifference(gC.touched, gJs.touched)).toBe(-1);
      expect(firstDifference(gC.isTouched, gJs.isTouched)).toBe(-1);
      expect(firstDifference(gC.values, gJs.values)).toBe(-1);
      // Cleared after the update, both are as good as new: no value, no touched row.
      js.clearSparseGradient(gJs);
      cpp.clearSparseGradient(gC);
      for (const g of [gJs, gC]) {
        expect(g.count).toBe(0);
        expect(g.values.every((v) => v === 0)).toBe(true);
        expect(g.isTouched.every((t) => t === 0)).toBe(true);
      }
    });
  }

  it('lazy Adam updates exactly as the JavaScript loop over several steps', () => {
    const rows = 6000;
    const tables = [createEmbeddingTable(rows, 64, createRng(4), 0.1), createEmbeddingTable(rows, 64, createRng(4), 0.1)];
    const optimizers = [createSparseOptimizer(js, 'adam', rows * 64, 0.01), createSparseOptimizer(cpp, 'adam', rows * 64, 0.01)];
    for (let step = 0; step < 4; step++) {
      // Steps 0 and 2 touch a few hundred rows (one thread), 1 and 3 most of the table (two).
      const bags = randomBags(step % 2 === 0 ? 64 : 400, step % 2 === 0 ? 300 : rows, 10 + step);
      const rng = createRng(20 + step);
      const grad = Float32Array.from({ length: (bags.offsets.length - 1) * 64 }, () => rng.normal());
      tables.forEach((table, i) => {
        const g = createSparseGradient(table);
        js.scatterBagGradients(grad, 64, 0, bags, g);
        optimizers[i].step(g);
      });
      expect(firstDifference(tables[1].weights, tables[0].weights)).toBe(-1);
    }
  });

  it('rejects a row outside the table, a short output and unordered bag offsets, naming the argument', () => {
    const table = createEmbeddingTable(10, 4, createRng(5), 0.1);
    const outside: Bags = { offsets: Int32Array.from([0, 2]), rows: Int32Array.from([1, 10]) };
    expect(() => cpp.poolBags(table, outside, new Float32Array(4), 4, 0)).toThrow('poolBags: row 10 is outside the table');
    const bags: Bags = { offsets: Int32Array.from([0, 1, 2]), rows: Int32Array.from([1, 2]) };
    expect(() => cpp.poolBags(table, bags, new Float32Array(4), 4, 0)).toThrow('poolBags: argument 4 holds 4 elements, needs 8');
    const decreasing: Bags = { offsets: Int32Array.from([0, 2, 1]), rows: Int32Array.from([1, 2]) };
    expect(() => cpp.poolBags(table, decreasing, new Float32Array(8), 4, 0)).toThrow('poolBags: bag offsets must start at 0 or more and never decrease');
  });
});
