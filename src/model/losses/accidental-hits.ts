import * as tf from '@tensorflow/tfjs-core';
import { MASK_VALUE } from './mask-value.js';

/**
 * The additive mask for accidental hits: entry (i, j) is {@link MASK_VALUE} when candidate j is the
 * same item as row i's positive but is not its positive column (j ≠ i + offset; row i's positive is
 * column i + offset),
 * else 0. Pure JS so that the rule is testable on its own. Shapes: positiveIds [B],
 * candidateIds [C] (C ≥ B, first B = the positives) → Float32Array [B·C] row-major.
 */
export function accidentalHitMask(positiveIds: Int32Array, candidateIds: Int32Array, offset = 0): Float32Array {
  const b = positiveIds.length;
  const c = candidateIds.length;
  const mask = new Float32Array(b * c);
  const columnsOf = new Map<number, number[]>();
  for (let j = 0; j < c; j++) {
    const list = columnsOf.get(candidateIds[j]);
    if (list) list.push(j);
    else columnsOf.set(candidateIds[j], [j]);
  }
  for (let i = 0; i < b; i++) for (const j of columnsOf.get(positiveIds[i]) ?? []) if (j !== i + offset) mask[i * c + j] = MASK_VALUE;
  return mask;
}

/**
 * Removes accidental hits (TensorFlow Recommenders' `RemoveAccidentalHits`): a row's own positive
 * item appearing as another candidate is not a negative. Shapes: logits [B, C], mask [B·C] from
 * {@link accidentalHitMask} → [B, C].
 */
export function maskAccidentalHits(logits: tf.Tensor2D, mask: Float32Array): tf.Tensor2D {
  return tf.add(logits, tf.tensor2d(mask, logits.shape));
}
