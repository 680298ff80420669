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
 * The same loss over distinct candidate items (`compactBceCandidates`): ℓᵢ = softplus(−pᵢ) +
 * Σᵤ wᵢᵤ · softplus(zᵢᵤ) with pᵢ = sᵢ,labelᵢ + positiveBiasᵢ, zᵢᵤ = sᵢᵤ + negativeBiasᵤ and w the
 * negative weights, fused with its gradient ∂ℓᵢ/∂sᵢᵤ = wᵢᵤ·σ(zᵢᵤ) − 1[u = labelᵢ]·σ(−pᵢ): four
 * passes over the [B, U] matrix instead of the dozen that autograd makes of the separate ops.
 * Shapes: logits [B, U] → [B].
 */
export function compactBinaryCrossEntropy(
  logits: tf.Tensor2D,
  labels: Int32Array,
  positiveBias: Float32Array,
  negativeBias: Float32Array,
  negativeWeight: Float32Array,
): tf.Tensor1D {
  const [b, u] = logits.shape;
  const flat = Int32Array.from(labels, (label, i) => i * u + label);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor2D;
    const save = args[1] as tf.GradSaveFunc;
    const w = tf.tensor2d(negativeWeight, [b, u]);
    const z = tf.add(x, tf.tensor1d(negativeBias));
    const positive = tf.add(tf.gather(tf.reshape(x, [b * u]), tf.tensor1d(flat, 'int32')), tf.tensor1d(positiveBias));
    save([z, w, positive]);
    return {
      // softplus(z) = −log σ(−z): wasm's Softplus kernel is much slower than its Sigmoid (`bench:train-ab`), and
      // z (cosine ÷ τ − log q) stays far from where σ(−z) would underflow float32.
      value: tf.add(tf.softplus(tf.neg(positive)), tf.neg(tf.sum(tf.mul(w, tf.log(tf.sigmoid(tf.neg(z)))), 1))),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sz, sw, sp] = saved;
        const dyRows = dy.dataSync();
        const p = sp.dataSync();
        // The positive term touches one entry per row: written in JS, not as a one-hot pass.
        const positiveGrad = new Float32Array(b * u);
        flat.forEach((k, i) => (positiveGrad[k] = -dyRows[i] / (1 + Math.exp(p[i]))));
        return tf.add(tf.mul(tf.mul(sw, tf.sigmoid(sz)), tf.reshape(dy, [b, 1])), tf.tensor2d(positiveGrad, [b, u]));
      },
    };
  }) as unknown as (logits: tf.Tensor2D) => tf.Tensor1D;
  return f(logits);
}
