import * as tf from '@tensorflow/tfjs-core';
import type { MatMuls } from '../../kernels/mat-muls.js';
import { diagonalSoftmaxCrossEntropy } from './softmax-cross-entropy.js';

/**
 * Self-supervised InfoNCE between two augmented views of the same S entities (Yao et al. 2021,
 * "Self-supervised Learning for Large-scale Item Recommendations"): sᵢⱼ = aᵢ·bⱼ / τ, the positive
 * of row i is column i, the other views of the batch are the negatives; symmetric,
 * ℓ = ½ meanᵢ [CE(sᵢ·) + CE(s·ᵢ)]. Shapes: a, b [S, d] (L2-normalised) → scalar. The scores go
 * through `matMuls.scoresMatMul` (the selected backend's fastest gradient).
 */
export function viewInfoNce(matMuls: MatMuls, a: tf.Tensor2D, b: tf.Tensor2D, temperature: number): tf.Scalar {
  const logits = tf.mul(matMuls.scoresMatMul(a, b), 1 / temperature) as tf.Tensor2D;
  const rows = diagonalSoftmaxCrossEntropy(logits);
  const columns = diagonalSoftmaxCrossEntropy(tf.transpose(logits));
  return tf.mul(tf.add(tf.mean(rows), tf.mean(columns)), 0.5) as tf.Scalar;
}
