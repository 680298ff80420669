import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../common/rng.js';
import type { MatMuls } from '../kernels/mat-muls.js';

/**
 * A tower's dense part: layers `input → sizes[0] → … → sizes[last]`, ReLU between layers, the last
 * one linear, then L2 normalisation so that dot products are cosines. Weights are TF.js variables
 * (updated by dense Adam); `weights` lists them as [W0, b0, W1, b1, …].
 */
export interface Mlp {
  readonly inputSize: number;
  readonly sizes: readonly number[];
  readonly weights: readonly tf.Variable[];
}

/** Glorot-uniform weights and zero biases from the seeded generator (so runs are reproducible). */
export function createMlp(inputSize: number, sizes: readonly number[], rng: Rng): Mlp {
  const weights: tf.Variable[] = [];
  let fanIn = inputSize;
  sizes.forEach((fanOut) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const w = Float32Array.from({ length: fanIn * fanOut }, () => (2 * rng.next() - 1) * limit);
    weights.push(tf.variable(tf.tensor2d(w, [fanIn, fanOut]), true));
    weights.push(tf.variable(tf.zeros([fanOut]), true));
    fanIn = fanOut;
  });
  return { inputSize, sizes, weights };
}

/** Width of the MLP's output: its last layer's, or its input's when it has no layers. */
export function mlpOutputSize(mlp: Pick<Mlp, 'sizes' | 'inputSize'>): number {
  return mlp.sizes.at(-1) ?? mlp.inputSize;
}

/** Frees the MLP's TF.js variables (a model that is no longer used). */
export function disposeMlp(mlp: Mlp): void {
  for (const w of mlp.weights) w.dispose();
}

/** Row-wise L2 normalisation x / sqrt(‖x‖² + 1e-12); differentiable by TF.js's stock elementwise ops. */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-12)));
}

/**
 * Forward pass on `x [n, inputSize]` with explicit weight tensors (so tf.grads can differentiate
 * them); the layers' products are `matMuls.plainMatMul` (the selected backend's fastest gradient).
 */
export function mlpForward(matMuls: MatMuls, x: tf.Tensor2D, weights: readonly tf.Tensor[]): tf.Tensor2D {
  let h = x;
  for (let l = 0; l < weights.length; l += 2) {
    h = tf.add(matMuls.plainMatMul(h, weights[l] as tf.Tensor2D), weights[l + 1]);
    if (l + 2 < weights.length) h = tf.relu(h);
  }
  return l2Normalize(h);
}
