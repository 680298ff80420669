import * as tf from '@tensorflow/tfjs-core';
import type { MatMulOf } from './mat-mul-of.js';

/** Matrix product `a [m, k] · b [k, n] → [m, n]`, differentiable. */
export type PlainMatMul = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * Matrix product `a [m, k] · b [k, n] → [m, n]` whose gradient dA = dY · bᵀ, dB = aᵀ · dY goes
 * through `matMulOf`: transpose flags with the native kernel, else explicit transposes and plain
 * matMuls, because the stock gradient's transposed-flag matMuls run many times slower on TF.js 4.22's wasm.
 */
export function createPlainMatMul(matMulOf: MatMulOf): PlainMatMul {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([a, b]);
    return {
      value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sb] = saved as tf.Tensor2D[];
        return [matMulOf(dy as tf.Tensor2D, sb, false, true), matMulOf(sa, dy as tf.Tensor2D, true, false)];
      },
    };
  }) as unknown as PlainMatMul;
}
