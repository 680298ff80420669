import type { Rng } from '../common/rng.js';
import type { BatchBags } from './batch-bags.js';

/**
 * Feature-dropout mask (Yao et al. 2021, "Self-supervised Learning for Large-scale Item
 * Recommendations", random feature masking): for each of `batchSize` entities and each of
 * `numFields` fields, independently, 1 (dropped) with probability `rate`. Row-major [B · F].
 */
export function featureDropoutMask(batchSize: number, numFields: number, rate: number, rng: Rng): Uint8Array {
  const mask = new Uint8Array(batchSize * numFields);
  for (let k = 0; k < mask.length; k++) mask[k] = rng.next() < rate ? 1 : 0;
  return mask;
}

/**
 * Applies a [B · F] drop mask to per-field batch bags: a dropped (entity, field) gets an empty bag,
 * which pools to zero. Returns new bags; the inputs are not modified.
 */
export function applyFieldMask(bags: readonly BatchBags[], mask: Uint8Array): BatchBags[] {
  const numFields = bags.length;
  return bags.map((field, f) => {
    const n = field.offsets.length - 1;
    const offsets = new Int32Array(n + 1);
    const kept: number[] = [];
    for (let b = 0; b < n; b++) {
      if (mask[b * numFields + f] === 0) for (let p = field.offsets[b]; p < field.offsets[b + 1]; p++) kept.push(field.rows[p]);
      offsets[b + 1] = kept.length;
    }
    return { offsets, rows: Int32Array.from(kept) };
  });
}
