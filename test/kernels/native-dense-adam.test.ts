import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { createDenseAdam } from '../../src/kernels/dense-adam.js';
import { nativeAddon } from '../../src/kernels/native-addon.js';
import { JS_PAIRED_KERNELS, nativePairedKernels } from '../../src/kernels/paired-kernels.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import { skipWithout } from '../missing-dependency.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

describe.skipIf(skipWithout('the native addon', nativeAddon() === undefined, 'run `npm run build:native`'))('createDenseAdam in C++ against JavaScript', () => {
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
});
