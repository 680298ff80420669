import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { createMatMuls } from '../../src/kernels/mat-muls.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import { l2Normalize } from '../../src/model/mlp.js';
import { numericGrad } from '../model/numeric-grad.js';

// Before the describe blocks: they make tensors while being collected.
await selectBackend('cpu');

function random(shape: [number, number], seed: number): tf.Tensor2D {
  const rng = createRng(seed);
  return tf.tensor2d(
    Float32Array.from({ length: shape[0] * shape[1] }, () => rng.normal()),
    shape,
  );
}

function expectClose(a: tf.Tensor, b: tf.Tensor): void {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(x.length).toBe(y.length);
  x.forEach((v, k) => expect(v).toBeCloseTo(y[k], 4));
}

// Both makes of the wrappers: transpose flags (as with the native kernel) and explicit transposes.
describe.each([true, false])('custom matMul gradients (transpose flags free: %s)', (flagsAreFree) => {
  const { plainMatMul, scoresMatMul } = createMatMuls(flagsAreFree);

  // A fixed random weighting of the output makes the gradient non-trivial.
  const w = random([3, 5], 9);

  // tfjs-core's Node bundle registers no BatchMatMul gradient; its stock gradient (BatchMatMul_grad.ts)
  // is dA = matMul(dy, b, false, true), dB = matMul(a, dy, true, false), written out here. With
  // loss = Σ (A·B) ⊙ W, dy = W.
  it('plainMatMul: value and gradients equal the stock matMul gradient', () => {
    const a = random([3, 4], 1);
    const b = random([4, 5], 2);
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(plainMatMul(x as tf.Tensor2D, y as tf.Tensor2D), w));
    expectClose(plainMatMul(a, b), tf.matMul(a, b));
    const [ga, gb] = tf.grads(f)([a, b]);
    expectClose(ga, tf.matMul(w, b, false, true));
    expectClose(gb, tf.matMul(a, w, true, false));
  });

  it('scoresMatMul: value and gradients equal the stock gradient of matMul(u, c, false, true)', () => {
    const u = random([3, 4], 3);
    const c = random([5, 4], 4);
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(scoresMatMul(x as tf.Tensor2D, y as tf.Tensor2D), w));
    expectClose(scoresMatMul(u, c), tf.matMul(u, c, false, true));
    const [gu, gc] = tf.grads(f)([u, c]);
    // S = U·Cᵀ: dU = W·C, dC = Wᵀ·U (stock: matMul(dy, c), matMul(dy, u, true, false))
    expectClose(gu, tf.matMul(w, c));
    expectClose(gc, tf.matMul(w, u, true, false));
  });

  it('registered element-wise gradients: l2Normalize matches finite differences', () => {
    const x = [
      [0.3, -1.2, 0.5],
      [2, 0.1, -0.4],
    ];
    const f = (t: tf.Tensor) =>
      tf.sum(
        tf.mul(
          l2Normalize(t as tf.Tensor2D),
          tf.tensor2d([
            [1, 2, 3],
            [-1, 0.5, 2],
          ]),
        ),
      );
    const g = tf.grad(f)(tf.tensor2d(x)).arraySync() as number[][];
    const numeric = numericGrad((m) => f(tf.tensor2d(m)).arraySync() as number, x);
    x.forEach((row, i) => row.forEach((_, j) => expect(g[i][j]).toBeCloseTo(numeric[i][j], 2)));
  });
});
