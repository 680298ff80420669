import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDenseAdam } from '../../src/kernels/dense-adam.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import { pairedHalves } from './paired-halves.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

describe.each(pairedHalves())('createDenseAdam in %s', (_, paired) => {
  it('takes the first step by hand: w − lr·sign(g) (bias-corrected m̂ = g, v̂ = g²)', () => {
    const w = tf.variable(tf.tensor1d([1, -2, 0.5]));
    createDenseAdam(paired, [w], 0.1).step([Float32Array.from([0.3, -4, 0])]);
    // m̂/(√v̂ + ε) = g/(|g| + 1e-7) = ±1 (0 for g = 0): [1 − 0.1, −2 + 0.1, 0.5]
    [0.9, -1.9, 0.5].forEach((x, k) => expect(w.dataSync()[k]).toBeCloseTo(x, 5));
  });

  it('follows tf.train.adam over several steps on two variables', () => {
    const init = [
      tf.tensor2d([
        [0.2, -0.1],
        [0.4, 0.3],
      ]),
      tf.tensor1d([0.05, -0.02]),
    ];
    const ours = init.map((t) => tf.variable(t.clone()));
    const theirs = init.map((t) => tf.variable(t.clone()));
    const adam = createDenseAdam(paired, ours, 0.01);
    const reference = tf.train.adam(0.01);
    for (let step = 0; step < 5; step++) {
      // gradients that change sign and size from step to step
      const grads = [Float32Array.from([0.5, -1, 2, 0.1].map((g) => g * Math.cos(step))), Float32Array.from([step - 2, 0.3])];
      adam.step(grads);
      reference.applyGradients(theirs.map((v, k) => ({ name: v.name, tensor: tf.tensor(grads[k], v.shape) })));
    }
    ours.forEach((v, k) => v.dataSync().forEach((x, j) => expect(x).toBeCloseTo(theirs[k].dataSync()[j], 6)));
  });
});
