import * as tf from '@tensorflow/tfjs-core';

/**
 * Pointwise binary cross-entropy on sampled negatives, the non-contrastive baseline (as in
 * YouTube DNN / NCF-style training): row i's positive is column i + offset, its negatives are columns
 * `negativeStart ..C`; ℓᵢ = softplus(−sᵢᵢ) + meanⱼ softplus(sᵢⱼ) = −log σ(sᵢᵢ) − meanⱼ log(1 − σ(sᵢⱼ)).
 * Masked (accidental-hit) entries hold a huge negative logit and so contribute 0.
 * Shapes: logits [B, C] → losses [B].
 */
export function binaryCrossEntropy(logits: tf.Tensor2D, negativeStart: number, offset = 0): tf.Tensor1D {
  const [b, c] = logits.shape;
  const target = tf.cast(tf.oneHot(tf.range(offset, offset + b, 1, 'int32'), c), 'float32');
  const positive = tf.sum(tf.mul(logits, target), 1);
  const negatives = tf.slice(logits, [0, negativeStart], [b, c - negativeStart]);
  return tf.add(tf.softplus(tf.neg(positive)), tf.mean(tf.softplus(negatives), 1));
}
