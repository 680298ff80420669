import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/kernels/select-backend.js';
import { diagonalSoftmaxCrossEntropy } from '../../src/model/losses/softmax-cross-entropy.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('wasm zero-copy Identity', () => {
  it('a clone shares the buffer yet disposing either side leaves the other intact', () => {
    const before = tf.memory().numDataBuffers;
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    // One buffer for both tensors (the stock kernel allocated a second one and copied).
    expect(tf.memory().numDataBuffers - before).toBe(1);
    y.dispose();
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3]);
    const z = tf.clone(x);
    x.dispose();
    expect(Array.from(z.dataSync())).toEqual([1, 2, 3]);
    z.dispose();
    expect(tf.memory().numDataBuffers).toBe(before);
  });

  it('the fused softmax cross-entropy (which saves a clone) gives the hand-computed loss and gradient on wasm', () => {
    // logits [[1,2,3],[0,-1,1]]: row 0: log(e + e² + e³) − 1 = 2.407606; row 1: log(1 + e⁻¹ + e) + 1 = 2.407606
    const x = tf.tensor2d([
      [1, 2, 3],
      [0, -1, 1],
    ]);
    const { value, grads } = tf.valueAndGrads((t: tf.Tensor) => tf.sum(diagonalSoftmaxCrossEntropy(t as tf.Tensor2D)))([x]);
    expect(value.dataSync()[0]).toBeCloseTo(2 * 2.407606, 4);
    // ∂/∂s₀₀ = e/(e + e² + e³) − 1 = 0.090031 − 1; ∂/∂s₀₂ = e³/(e + e² + e³) = 0.665241
    const g = grads[0].arraySync() as number[][];
    expect(g[0][0]).toBeCloseTo(0.090031 - 1, 4);
    expect(g[0][2]).toBeCloseTo(0.665241, 4);
  });
});
