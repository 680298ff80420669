import * as tf from '@tensorflow/tfjs-core';
import { nativeMatMulActive } from './backend/native-mat-mul.js';

/**
 * op(a) · op(b), op transposing when asked. With the native matMul kernel the transpose flags are
 * free; on stock TF.js wasm they run 10–30× slower than a plain matMul, so there the operands are
 * transposed explicitly first. The gradients of the towers and losses go through this.
 */
export function matMulOf(a: tf.Tensor2D, b: tf.Tensor2D, transposeA = false, transposeB = false): tf.Tensor2D {
  if (nativeMatMulActive()) return tf.matMul(a, b, transposeA, transposeB);
  return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
}
