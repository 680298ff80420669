import * as tf from '@tensorflow/tfjs-core';

/**
 * Matrix product `a [m, k] · b [k, n] → [m, n]` whose gradient uses explicit transposes and plain
 * (non-transposed) matMuls: dA = dY · transpose(b), dB = transpose(a) · dY. The stock gradient
 * calls matMul with transpose flags, which TF.js 4.22's wasm backend runs 10–30× slower.
 */
export const plainMatMul: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D = tf.customGrad(
  (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([a, b]);
    return {
      value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sb] = saved as tf.Tensor2D[];
        return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
      },
    };
  },
) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;
