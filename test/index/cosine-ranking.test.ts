import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { ExactIndex } from '../../src/index/exact-index.js';
import { HnswIndex } from '../../src/index/hnsw-index.js';
import { naiveCosineRanking } from './vector-index-suite.js';

/** Gaussian vectors with random scales (not unit), so the test covers the normalisation step. */
function rawVectors(n: number, dim: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n * dim);
  for (let row = 0; row < n; row++) {
    const scale = 0.1 + 10 * rng.next();
    for (let j = 0; j < dim; j++) out[row * dim + j] = scale * rng.normal();
  }
  return out;
}

function normaliseRows(v: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let row = 0; row < v.length / dim; row++) {
    const norm = Math.hypot(...v.subarray(row * dim, (row + 1) * dim));
    for (let j = 0; j < dim; j++) out[row * dim + j] = v[row * dim + j] / norm;
  }
  return out;
}

// Property: on L2-normalised vectors, ordering by squared L2 distance (what hnswlib's `l2` space
// and ExactIndex compute) is ordering by cosine of the raw vectors, and score = 1 − d²/2 = cosine.
describe('L2 ranking on normalised vectors equals exact cosine ranking', () => {
  for (const dim of [2, 16, 64]) {
    for (const seed of [1, 2, 3]) {
      it(`dim ${dim}, seed ${seed}`, () => {
        const n = 400;
        const raw = rawVectors(n, dim, seed);
        const unit = normaliseRows(raw, dim);
        const ids = Array.from({ length: n }, (_, i) => `v${i}`);
        const exact = ExactIndex.create(dim);
        exact.add(ids, unit);
        // ef ≥ n makes HNSW's search exhaustive, so its L2 ranking must match exactly too.
        const hnsw = HnswIndex.create(dim, { ef: 512 });
        hnsw.add(ids, unit);
        const queries = rawVectors(5, dim, seed + 100);
        for (let q = 0; q < 5; q++) {
          const query = queries.subarray(q * dim, (q + 1) * dim);
          const cosine = naiveCosineRanking(ids, raw, dim, query).slice(0, 50);
          // Skip positions where two cosines are within float32 rounding: their order is a tie.
          const distinct = cosine.every((c, i) => i === 0 || cosine[i - 1].score - c.score > 1e-6);
          for (const index of [exact, hnsw]) {
            const hits = index.search(query, 50);
            if (distinct) expect(hits.map((h) => h.id)).toEqual(cosine.map((c) => c.id));
            hits.forEach((h, i) => expect(h.score).toBeCloseTo(cosine[i].score, 5));
          }
        }
      });
    }
  }
});
