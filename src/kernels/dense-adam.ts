import * as tf from '@tensorflow/tfjs-core';
import { nativeAddon, type NativeAddon } from './backend/native-addon.js';

/** Adam over a model's dense weights, stepped with plain gradient arrays (one per variable). */
export interface DenseAdam {
  step(grads: readonly Float32Array[]): void;
}

/** One Adam step on one variable's weights, moments and gradient, in place (the JavaScript path). */
function adamUpdate(w: Float32Array, m: Float32Array, s: Float32Array, g: Float32Array, learningRate: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number): void {
  for (let j = 0; j < w.length; j++) {
    m[j] = beta1 * m[j] + (1 - beta1) * g[j];
    s[j] = beta2 * s[j] + (1 - beta2) * g[j] * g[j];
    w[j] -= (learningRate * (m[j] / c1)) / (Math.sqrt(s[j] / c2) + epsilon);
  }
}

/**
 * Adam (Kingma & Ba 2015) for the MLP weights, computed outside TF.js on copies of the weights and
 * written back with one `assign` per variable. The update is TF.js's `tf.train.adam` (bias-corrected
 * moments, ε added to √v̂, ε = 1e-7). For the default towers' 99k weights its ten-odd TF.js
 * kernels per variable took 3.2–7.2 ms a step on wasm, a JS loop 1.7–2.7 ms. `native` (default:
 * the addon where it loads) runs the loop in C++ with bit-identical results; `null` keeps it in JS.
 * The weights must not be changed by anything else while it is in use: it keeps its own copy.
 */
export function createDenseAdam(
  variables: readonly tf.Variable[],
  learningRate: number,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon = 1e-7,
  native: NativeAddon | null = nativeAddon() ?? null,
): DenseAdam {
  const values = variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  const m = values.map((w) => new Float32Array(w.length));
  const s = values.map((w) => new Float32Array(w.length));
  const update = native === null ? adamUpdate : native.denseAdam;
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
