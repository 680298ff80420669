import * as tf from '@tensorflow/tfjs-core';

/**
 * Smallest softmax probability the loss takes the log of: a positive whose probability underflows
 * float32 contributes −log(1e-37) ≈ 85.2 instead of +∞ (its gradient, softmax − onehot, stays exact).
 */
export const MIN_POSITIVE_PROBABILITY = 1e-37;

/**
 * Per-row softmax cross-entropy with the positive on the (shifted) diagonal — row i's label is column
 * i + offset (offset ≠ 0 when a worker holds rows offset.. of a larger batch) — fused
 * with its own gradient `∂ℓᵢ/∂sᵢⱼ = softmax(sᵢ)ⱼ − 1[j = i + offset]`. ℓᵢ = −log softmax(sᵢ)ᵢ₊ₒ
 * = log Σⱼ exp(sᵢⱼ) − sᵢ,ᵢ₊ₒ. The softmax is TF.js's one Softmax kernel (on wasm XNNPACK's, one
 * pass with a vectorised exp: a fifth of the cost of max/sub/exp/sum/div as separate kernels);
 * the one-hot target of the gradient is written in JS, not with OneHot + Cast.
 * Shapes: logits [B, C] (C ≥ B) → losses [B]. This is InfoNCE (van den Oord et al. 2018) once the
 * logits are scores ÷ τ.
 */
export function diagonalSoftmaxCrossEntropy(logits: tf.Tensor2D, offset = 0): tf.Tensor1D {
  return labelSoftmaxCrossEntropy(
    logits,
    Int32Array.from({ length: logits.shape[0] }, (_, i) => i + offset),
  );
}

// The loss with row i's label at column `labels[i]`; the diagonal is its only caller since the
// compacted InfoNCE got its own fused op (`compactInfoNce`).
function labelSoftmaxCrossEntropy(logits: tf.Tensor2D, labels: Int32Array): tf.Tensor1D {
  const [b, c] = logits.shape;
  const flat = Int32Array.from(labels, (label, i) => i * c + label);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[1] as tf.GradSaveFunc;
    const p = tf.softmax(args[0] as tf.Tensor2D);
    const positive = tf.gather(tf.reshape(p, [b * c]), tf.tensor1d(flat, 'int32'));
    save([p]);
    return {
      value: tf.neg(tf.log(tf.maximum(positive, MIN_POSITIVE_PROBABILITY))),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(tf.sub(saved[0], oneHot(b, c, flat)), tf.reshape(dy, [b, 1])),
    };
  }) as unknown as (logits: tf.Tensor2D) => tf.Tensor1D;
  return f(logits);
}

function oneHot(b: number, c: number, flat: Int32Array): tf.Tensor2D {
  const target = new Float32Array(b * c);
  for (const k of flat) target[k] = 1;
  return tf.tensor2d(target, [b, c]);
}
