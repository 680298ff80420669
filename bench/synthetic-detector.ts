/**
 * A stand-in for a detector of stray training pairs whose quality is set by one number, its AUC
 * (the chance that a real pair outscores a stray one), for `bench:noise-ceiling`'s question: how
 * good must a detector be before dropping the pairs it doubts wins back the noise's cost?
 */
import { probit } from 'simple-statistics';
import type { Rng } from '../src/common/rng.js';

/**
 * One score per pair: a unit normal for a stray pair, the same shifted up by √2·Φ⁻¹(auc) for a
 * real one. Two unit normals that far apart order a random pair of them correctly with chance
 * `auc`, so the scores make a detector of that AUC that knows nothing else of the pairs.
 */
export function syntheticDetectorScores(isReal: Uint8Array, auc: number, rng: Rng): Float64Array {
  if (!(auc >= 0.5 && auc < 1)) throw new Error(`detector AUC ${auc} is not in [0.5, 1)`);
  const shift = Math.SQRT2 * probit(auc);
  return Float64Array.from(isReal, (real) => rng.normal() + (real === 1 ? shift : 0));
}

/** A mask with 1 at the `count` lowest scores (ties broken by position, earlier first). */
export function lowestScoredMask(scores: Float64Array, count: number): Uint8Array {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b] || a - b);
  const mask = new Uint8Array(scores.length);
  for (const k of order.slice(0, count)) mask[k] = 1;
  return mask;
}
