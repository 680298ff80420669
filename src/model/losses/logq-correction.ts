import * as tf from '@tensorflow/tfjs-core';

/** Lower clip for sampling probabilities: no candidate is boosted by more than log(1e6). */
export const MIN_SAMPLING_PROBABILITY = 1e-6;

/**
 * Sampling-bias (logQ) correction of logits (Yi et al. 2019, "Sampling-Bias-Corrected Neural
 * Modeling for Large Corpus Item Recommendations"): `s'ᵢⱼ = sᵢⱼ − log qⱼ` with qⱼ clipped to
 * [1e-6, 1], where qⱼ is the probability that candidate j was drawn as a negative.
 * Shapes: logits [B, C], q [C] → [B, C].
 */
export function applyLogQCorrection(logits: tf.Tensor2D, q: tf.Tensor1D): tf.Tensor2D {
  return tf.sub(logits, tf.log(tf.clipByValue(q, MIN_SAMPLING_PROBABILITY, 1)));
}
