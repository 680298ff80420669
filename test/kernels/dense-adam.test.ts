import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { createDenseAdam } from '../../src/kernels/dense-adam.js';
import { nativeAddon } from '../../src/kernels/native-addon.js';
import { JS_PAIRED_KERNELS, nativePairedKernels } from '../../src/kernels/paired-kernels.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import { pairedHalves } from './paired-halves.js';
import { skipWithout } from '../missing-dependency.js';
import { NATIVE_SWITCHED_OFF } from './native-switched-off.js';

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

describe.skipIf(NATIVE_SWITCHED_OFF || skipWithout('the native addon', nativeAddon() === undefined, 'run `npm run build:native`'))(
  'createDenseAdam in C++ against JavaScript',
  () => {
    // The native loop promises the JS loop's arithmetic, so a model trains to the same weights with
    // or without the addon: compared bit for bit.
    it('updates exactly as the JavaScript loop over several steps', () => {
      const rng = createRng(7);
      const init = [
        tf.tensor2d(
          Float32Array.from({ length: 300 * 128 }, () => rng.normal() * 0.1),
          [300, 128],
        ),
        tf.tensor1d(Float32Array.from({ length: 128 }, () => rng.normal())),
      ];
      const [inJs, inC] = [0, 1].map(() => init.map((t) => tf.variable(t.clone())));
      const adams = [createDenseAdam(JS_PAIRED_KERNELS, inJs, 0.003), createDenseAdam(nativePairedKernels(nativeAddon()!), inC, 0.003)];
      for (let step = 0; step < 4; step++) {
        const grads = init.map((t) => Float32Array.from({ length: t.size }, () => rng.normal()));
        adams.forEach((adam) => adam.step(grads));
        inJs.forEach((v, k) =>
          expect(Buffer.from((inC[k].dataSync() as Float32Array).buffer).equals(Buffer.from((v.dataSync() as Float32Array).buffer))).toBe(true),
        );
      }
    });
  },
);
