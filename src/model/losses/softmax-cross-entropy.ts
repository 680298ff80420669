import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-row softmax cross-entropy with the positive on the (shifted) diagonal — row i's label is column
 * i + offset (offset ≠ 0 when a worker holds rows offset.. of a larger batch) — fused
 * with its own gradient `∂ℓᵢ/∂sᵢⱼ = softmax(sᵢ)ⱼ − 1[j = i]`, computed with a single exp pass (exp is
 * the costliest kernel on wasm). ℓᵢ = log Σⱼ exp(sᵢⱼ − mᵢ) − (sᵢ,ᵢ₊ₒ − mᵢ), mᵢ = maxⱼ sᵢⱼ.
 * Shapes: logits [B, C] (C ≥ B) → losses [B]. This is InfoNCE (van den Oord et al. 2018) once the
 * logits are scores ÷ τ.
 */
export function diagonalSoftmaxCrossEntropy(logits: tf.Tensor2D, offset = 0): tf.Tensor1D {
  return fused(offset)(logits);
}

const cache = new Map<number, (logits: tf.Tensor2D) => tf.Tensor1D>();

function fused(offset: number): (logits: tf.Tensor2D) => tf.Tensor1D {
  const hit = cache.get(offset);
  if (hit) return hit;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const logits = args[0] as tf.Tensor2D;
    const save = args[1] as tf.GradSaveFunc;
    const [b, c] = logits.shape;
    const shifted = tf.sub(logits, tf.max(logits, 1, true));
    const e = tf.exp(shifted);
    const sum = tf.sum(e, 1, true);
    const diagonal = tf.gather(tf.reshape(shifted, [b * c]), tf.range(offset, offset + (b - 1) * (c + 1) + 1, c + 1, 'int32'));
    save([tf.div(e, sum)]);
    return {
      value: tf.sub(tf.reshape(tf.log(sum), [b]), diagonal),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const target = tf.cast(tf.oneHot(tf.range(offset, offset + b, 1, 'int32'), c), 'float32');
        return tf.mul(tf.sub(saved[0], target), tf.reshape(dy, [b, 1]));
      },
    };
  }) as unknown as (logits: tf.Tensor2D) => tf.Tensor1D;
  cache.set(offset, f);
  return f;
}
