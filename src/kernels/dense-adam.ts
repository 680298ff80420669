import * as tf from '@tensorflow/tfjs-core';
import type { PairedKernels } from './paired-kernels.js';

/** Adam over a model's dense weights, stepped with plain gradient arrays (one per variable). */
export interface DenseAdam {
  step(grads: readonly Float32Array[]): void;
}

/**
 * Adam (Kingma & Ba 2015) for the MLP weights, computed outside TF.js on copies of the weights and
 * written back with one `assign` per variable. The update is TF.js's `tf.train.adam` (bias-corrected
 * moments, ε added to √v̂, ε = 1e-7). Outside TF.js because its ten-odd kernels per variable cost
 * more than one loop over the weights (bench:train). The loop is `paired.denseAdam`: in C++ where
 * the addon loads, in JS otherwise, with bit-identical results.
 * The weights must not be changed by anything else while it is in use: it keeps its own copy.
 */
export function createDenseAdam(
  paired: PairedKernels,
  variables: readonly tf.Variable[],
  learningRate: number,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon = 1e-7,
): DenseAdam {
  const values = variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  const m = values.map((w) => new Float32Array(w.length));
  const s = values.map((w) => new Float32Array(w.length));
  const update = paired.denseAdam;
  let t = 0;
  return {
    step(grads) {
      t++;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      for (let k = 0; k < variables.length; k++) {
        update(values[k], m[k], s[k], grads[k], learningRate, beta1, beta2, epsilon, c1, c2);
        const next = tf.tensor(values[k], variables[k].shape);
        variables[k].assign(next);
        next.dispose();
      }
    },
  };
}
