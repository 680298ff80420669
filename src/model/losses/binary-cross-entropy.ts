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

/**
 * The same loss over distinct candidate items (`compactBceCandidates`): ℓᵢ = softplus(−(sᵢ,labelᵢ +
 * positiveBiasᵢ)) + Σᵤ negativeWeightᵢᵤ · softplus(sᵢᵤ + negativeBiasᵤ). Shapes: logits [B, U] → [B].
 */
export function compactBinaryCrossEntropy(logits: tf.Tensor2D, labels: Int32Array, positiveBias: Float32Array, negativeBias: Float32Array, negativeWeight: Float32Array): tf.Tensor1D {
  const [b, u] = logits.shape;
  const target = new Float32Array(b * u);
  labels.forEach((label, i) => (target[i * u + label] = 1));
  const positive = tf.add(tf.sum(tf.mul(logits, tf.tensor2d(target, [b, u])), 1), tf.tensor1d(positiveBias));
  const negatives = tf.mul(tf.softplus(tf.add(logits, tf.tensor1d(negativeBias))), tf.tensor2d(negativeWeight, [b, u]));
  return tf.add(tf.softplus(tf.neg(positive)), tf.sum(negatives, 1));
}
