/**
 * The small interface every nearest-neighbour index in contrarec implements: HNSW for
 * serving (`HnswIndex`) and exact brute-force search as its oracle (`ExactIndex`). Items
 * are addressed by their external ids (the ids from the logs); vectors are L2-normalised,
 * so the L2 ranking an index computes is the cosine ranking the model was trained for
 * (‖a−b‖² = 2 − 2·a·b on unit vectors). Keeping the interface this small is what lets a
 * vector database take HNSW's place later without touching `src/serve`.
 *
 * @example
 *   const index = HnswIndex.create(64);
 *   index.add(['a', 'b'], vectors);            // Float32Array, 2 × 64, unit rows
 *   index.search(query, 10);                   // [{ id, score, distance }], best first
 *   await index.save('models/v1');             // later: await HnswIndex.load('models/v1')
 */

/** One search result: the item, its cosine similarity to the query, and the squared L2 distance. */
export interface SearchHit {
  readonly id: string;
  /** Cosine similarity to the (normalised) query, = 1 − distance / 2. Higher is closer. */
  readonly score: number;
  /** Squared Euclidean distance between the unit query and the unit item vector, in [0, 4]. */
  readonly distance: number;
}

/** Options of `VectorIndex.search`. */
export interface SearchOptions {
  /** Only items for which this returns true are returned (deleted items never are). */
  readonly filter?: (id: string) => boolean;
}

/** A nearest-neighbour index over unit vectors keyed by external id. */
export interface VectorIndex {
  /** `'hnsw'` (approximate) or `'exact'` (brute force). */
  readonly kind: 'hnsw' | 'exact';
  /** Dimensionality of every vector in the index. */
  readonly dim: number;
  /** Number of live (not deleted) items. */
  readonly size: number;
  /**
   * Adds `ids.length` items; `vectors` is row-major `ids.length × dim`, each row L2-normalised
   * (norm within 1e-3 of 1, else an error naming the id). An id already present has its vector
   * replaced and, if it was deleted, comes back. Capacity grows as needed.
   */
  add(ids: readonly string[], vectors: Float32Array): void;
  /** Marks an item deleted: it is never returned again until re-added. Unknown id → `UnknownIdError`. */
  markDeleted(id: string): void;
  /** True when `id` is in the index and not deleted. */
  has(id: string): boolean;
  /** A copy of the vector the index holds for `id`; undefined when `id` is unknown or deleted. */
  vectorOf(id: string): Float32Array | undefined;
  /**
   * The `k` live items nearest to `query`, best (highest score) first; fewer when fewer match.
   * `query` is normalised first (a zero vector is an error); `k` must be a positive integer.
   */
  search(query: ArrayLike<number>, k: number, options?: SearchOptions): SearchHit[];
  /** Writes the index into `dir` (created if missing), each file to a temp path then renamed. */
  save(dir: string): Promise<void>;
}

/** Thrown when an operation names an id the index has never held. */
export class UnknownIdError extends Error {
  constructor(readonly id: string) {
    super(`unknown id "${id}": it is not in the index`);
    this.name = 'UnknownIdError';
  }
}
