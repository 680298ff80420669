import type { Rng } from '../common/rng.js';

/**
 * `n` vectors drawn uniformly from the unit sphere in `dim` dimensions (Gaussian coordinates,
 * then normalised), row-major. With no cluster structure this is the hard case for HNSW, which
 * is why the recall target and the benchmarks are measured on it.
 */
export function randomUnitVectors(n: number, dim: number, rng: Rng): Float32Array {
  const out = new Float32Array(n * dim);
  for (let row = 0; row < n; row++) {
    let sq = 0;
    for (let j = 0; j < dim; j++) {
      const x = rng.normal();
      out[row * dim + j] = x;
      sq += x * x;
    }
    const norm = Math.sqrt(sq);
    for (let j = 0; j < dim; j++) out[row * dim + j] /= norm;
  }
  return out;
}
