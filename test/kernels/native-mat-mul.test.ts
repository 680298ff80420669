import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import type { Kernels } from '../../src/kernels/kernels.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import { skipWithout } from '../missing-dependency.js';

// `npm install` builds the addon; a machine without a C++ compiler has none and trains without it.
const addonBuilt = existsSync(path.join(import.meta.dirname, '..', '..', 'build', 'Release', 'contrarec_native.node'));

function random(length: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.normal());
}

/** op(A)·op(B) in float64, the definition the kernel must meet. */
function reference(a: Float32Array, b: Float32Array, m: number, n: number, k: number, ta: boolean, tb: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  }
  return c;
}

function expectNear(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThan(tolerance);
}

describe.skipIf(skipWithout('build/Release/contrarec_native.node', !addonBuilt, 'run `npm run build:native`'))(
  'native matMul kernel on the wasm backend',
  () => {
    let kernels: Kernels;
    beforeAll(async () => {
      kernels = await selectBackend('wasm');
      expect(kernels.backend).toBe('wasm');
    });

    it('is in place once the wasm backend is selected, on every core', () => {
      expect(kernels.nativeMatMul).toBe(true);
      expect(kernels.addon).toBeDefined();
      expect(kernels.paired.native).toBe(true);
      expect(kernels.matMulThreads).toBe(Math.min(8, availableParallelism()));
      expect(kernels.describe()).toBe(`wasm (native AVX2/FMA matMul, ${kernels.matMulThreads} thread${kernels.matMulThreads > 1 ? 's' : ''})`);
    });

    // Shapes around the kernel's tiles (6 rows × 16 columns, depth blocks of 256, column blocks of
    // 4,096), with every combination of transpose flags.
    const shapes: [number, number, number][] = [
      [1, 1, 1],
      [7, 17, 3],
      [13, 33, 300],
      [200, 130, 257],
      [6, 4100, 20],
      [1536, 64, 128],
    ];
    for (const [m, n, k] of shapes) {
      it(`op(A)·op(B) equals the float64 product for m=${m}, n=${n}, k=${k} and every transpose`, () => {
        for (const ta of [false, true]) {
          for (const tb of [false, true]) {
            const a = random(m * k, m + k);
            const b = random(k * n, n + 7 * k);
            const out = tf.matMul(tf.tensor2d(a, ta ? [k, m] : [m, k]), tf.tensor2d(b, tb ? [n, k] : [k, n]), ta, tb);
            expect(out.shape).toEqual([m, n]);
            expectNear(out.dataSync(), reference(a, b, m, n, k, ta, tb), 1e-4 * Math.sqrt(k));
          }
        }
      });
    }

    // Each output element is computed by one thread in a fixed order: a model trains to the same
    // weights on any number of cores.
    it('gives bit-identical products on one thread and on two', () => {
      const addon = kernels.addon!;
      const [m, n, k] = [700, 300, 600];
      const a = random(m * k, 11);
      const b = random(k * n, 12);
      const [one, two] = [1, 2].map((threads) => {
        addon.setThreads(threads);
        const c = new Float32Array(m * n);
        addon.gemm(a, b, c, m, n, k, true, false);
        return c;
      });
      addon.setThreads(kernels.matMulThreads);
      expect(Buffer.from(two.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    });

    it('an empty inner dimension gives zeros', () => {
      expect(Array.from(tf.matMul(tf.zeros([2, 0]), tf.zeros([0, 3])).dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    });

    it('leaves batched products and shape errors to the stock kernel', () => {
      const a = random(2 * 3 * 4, 1);
      const b = random(2 * 4 * 5, 2);
      const out = tf.matMul(tf.tensor3d(a, [2, 3, 4]), tf.tensor3d(b, [2, 4, 5]));
      expect(out.shape).toEqual([2, 3, 5]);
      for (let batch = 0; batch < 2; batch++) {
        const want = reference(a.subarray(batch * 12, batch * 12 + 12), b.subarray(batch * 20, batch * 20 + 20), 3, 5, 4, false, false);
        expectNear(out.dataSync().subarray(batch * 15, batch * 15 + 15), want, 1e-4);
      }
      expect(() => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 5]))).toThrow('inner shapes (3) and (4)');
    });

    it('gives the gradients of plainMatMul and scoresMatMul through transpose flags', () => {
      const { plainMatMul, scoresMatMul } = kernels.matMuls;
      const [m, k, n] = [40, 24, 30];
      const a = random(m * k, 3);
      const b = random(k * n, 4);
      const w = random(m * n, 5);
      const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(plainMatMul(x as tf.Tensor2D, y as tf.Tensor2D), tf.tensor2d(w, [m, n])));
      const [ga, gb] = tf.grads(f)([tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])]);
      // loss = Σ (A·B) ⊙ W: dA = W·Bᵀ, dB = Aᵀ·W.
      expectNear(ga.dataSync(), reference(w, b, m, k, n, false, true), 1e-3);
      expectNear(gb.dataSync(), reference(a, w, k, n, m, true, false), 1e-3);
      const c = random(n * k, 6);
      const g = (u: tf.Tensor, cand: tf.Tensor) => tf.sum(tf.mul(scoresMatMul(u as tf.Tensor2D, cand as tf.Tensor2D), tf.tensor2d(w, [m, n])));
      const [gu, gc] = tf.grads(g)([tf.tensor2d(a, [m, k]), tf.tensor2d(c, [n, k])]);
      // S = U·Cᵀ: dU = W·C, dC = Wᵀ·U.
      expectNear(gu.dataSync(), reference(w, c, m, k, n, false, false), 1e-3);
      expectNear(gc.dataSync(), reference(w, a, n, k, m, true, false), 1e-3);
    });
  },
);
