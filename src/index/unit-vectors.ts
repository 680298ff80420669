/**
 * Helpers shared by the index implementations: checking that stored rows are unit vectors,
 * normalising queries, and turning a squared L2 distance between unit vectors into the cosine
 * similarity the API reports.
 */

/** How far from 1 a stored vector's norm may be before `add` refuses it (float32 rounding is ~1e-7). */
export const UNIT_NORM_TOLERANCE = 1e-3;

/**
 * Cosine similarity of two unit vectors from their squared L2 distance: ‖a−b‖² = 2 − 2·a·b,
 * so a·b = 1 − d²/2. Example: orthogonal unit vectors have d² = 2 → score 0.
 */
export function scoreFromSquaredL2(distance: number): number {
  return 1 - distance / 2;
}

/**
 * Checks the shape of an `add` call and that every row is L2-normalised; the error names the
 * offending id and row, because a non-normalised row would silently break the cosine ranking.
 */
export function checkUnitRows(ids: readonly string[], vectors: Float32Array, dim: number): void {
  if (vectors.length !== ids.length * dim) {
    throw new Error(`expected ${ids.length} × ${dim} = ${ids.length * dim} values for ${ids.length} ids, got ${vectors.length}`);
  }
  const seen = new Set<string>();
  for (let row = 0; row < ids.length; row++) {
    const id = ids[row];
    if (seen.has(id)) throw new Error(`id "${id}" appears twice in one add (rows ${ids.indexOf(id)} and ${row})`);
    seen.add(id);
    let sq = 0;
    for (let j = row * dim; j < (row + 1) * dim; j++) sq += vectors[j] * vectors[j];
    const norm = Math.sqrt(sq);
    if (!(Math.abs(norm - 1) <= UNIT_NORM_TOLERANCE)) {
      throw new Error(`vector for id "${id}" (row ${row}) has norm ${norm.toPrecision(6)}; the index takes L2-normalised vectors`);
    }
  }
}

/**
 * A query as a unit number[] (what hnswlib's binding takes): checks its length and divides by its
 * norm, so that callers may pass any non-zero vector and scores stay cosines.
 */
export function normaliseQuery(query: ArrayLike<number>, dim: number): number[] {
  if (query.length !== dim) throw new Error(`query has ${query.length} dimensions, the index has ${dim}`);
  let sq = 0;
  for (let j = 0; j < dim; j++) sq += query[j] * query[j];
  const norm = Math.sqrt(sq);
  if (!(norm > 0) || !Number.isFinite(norm)) throw new Error(`query vector has norm ${norm}; it must be finite and non-zero`);
  const out = new Array<number>(dim);
  for (let j = 0; j < dim; j++) out[j] = query[j] / norm;
  return out;
}

/** Checks `k` for `search`: a positive integer (the HTTP layer bounds it further). */
export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
}
