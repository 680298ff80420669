import type { Rng } from '../common/rng.js';

/**
 * A sampler of global negatives over the whole catalogue: uniform, or proportional to
 * popularity^β (Mikolov et al. 2013 use β = 0.75). Walker's alias method: O(n) set-up, O(1) a draw.
 * `probability[i]` is what logQ subtracts for a globally sampled item i.
 */
export interface NegativeSampler {
  readonly probability: Float64Array;
  /** Draws `count` items with replacement. Pure given the generator's state. */
  sample(count: number, rng: Rng): Int32Array;
}

/** Builds the sampler; `beta = 0` (or kind 'uniform') is uniform over all `counts.length` items. */
export function createNegativeSampler(counts: ArrayLike<number>, kind: 'uniform' | 'popularity', beta: number): NegativeSampler {
  const n = counts.length;
  const w = Float64Array.from({ length: n }, (_, i) => (kind === 'uniform' ? 1 : Math.pow(counts[i], beta)));
  const total = w.reduce((s, x) => s + x, 0);
  if (!(total > 0)) throw new RangeError('negative sampler: all item weights are zero');
  const probability = w.map((x) => x / total);
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = probability.map((p) => p * n);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    (scaled[l] < 1 ? small : large).push(l);
  }
  for (const i of [...small, ...large]) prob[i] = 1;
  return {
    probability,
    sample(count, rng) {
      const out = new Int32Array(count);
      for (let k = 0; k < count; k++) {
        const i = rng.int(n);
        out[k] = rng.next() < prob[i] ? i : alias[i];
      }
      return out;
    },
  };
}
