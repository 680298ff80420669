import * as tf from '@tensorflow/tfjs-core';

/** op(a) · op(b), op transposing when asked. */
export type MatMulOf = (a: tf.Tensor2D, b: tf.Tensor2D, transposeA?: boolean, transposeB?: boolean) => tf.Tensor2D;

/**
 * op(a) · op(b), op transposing when asked. With the native matMul kernel (`flagsAreFree`) the
 * transpose flags are free; on stock TF.js wasm they run many times slower than a plain matMul (`bench:train-ab`), so
 * there the operands are transposed explicitly first. The gradients of the towers and losses go
 * through this.
 */
export function createMatMulOf(flagsAreFree: boolean): MatMulOf {
  if (flagsAreFree) return (a, b, transposeA = false, transposeB = false) => tf.matMul(a, b, transposeA, transposeB);
  return (a, b, transposeA = false, transposeB = false) => tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
}
