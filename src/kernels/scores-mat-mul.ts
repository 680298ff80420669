import * as tf from '@tensorflow/tfjs-core';
import type { MatMulOf } from './mat-mul-of.js';

/** Score matrix `S = U · Cᵀ` (queries [B, d], candidates [C, d] → [B, C]), differentiable. */
export type ScoresMatMul = (queries: tf.Tensor2D, candidates: tf.Tensor2D) => tf.Tensor2D;

/**
 * Score matrix `S = U · Cᵀ` (queries [B, d], candidates [C, d] → [B, C]) with the gradient
 * dU = dS · C, dC = dSᵀ · U through `matMulOf` (transpose flags with the native kernel). On stock
 * wasm these are plain matMuls on explicitly transposed operands. Both
 * products have the small d as output width, the fast shape for TF.js's wasm matMul: a big right
 * operand is re-packed by XNNPACK on every call, so (Uᵀ · dS)ᵀ, which avoids transposing dS, is
 * slower (bench:train on stock wasm), and the stock gradient's transposed-flag matMuls slower still.
 */
export function createScoresMatMul(matMulOf: MatMulOf): ScoresMatMul {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [u, c, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([u, c]);
    return {
      value: matMulOf(u, c, false, true),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [su, sc] = saved as tf.Tensor2D[];
        return [tf.matMul(dy as tf.Tensor2D, sc), matMulOf(dy as tf.Tensor2D, su, true, false)];
      },
    };
  }) as unknown as ScoresMatMul;
}
