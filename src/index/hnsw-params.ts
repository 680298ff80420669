import { z } from 'zod';

/**
 * Tuning knobs of the HNSW index, each with its default. The defaults were measured
 * (`node dist/bench/index-recall.js 20000 300 sweep`) to give recall@10 ≥ 0.99 against exact
 * search on 20,000 random 64-d unit vectors, with margin above the smallest ef that reaches it
 * (`npm run bench:index -- 20000 500 sweep`), a harder case than trained embeddings, which cluster.
 */
export interface HnswParams {
  /** Maximum outgoing links per node and layer (hnswlib `M`); more → better recall, more memory (default: 32). */
  readonly m: number;
  /** Size of the candidate list while inserting (hnswlib `efConstruction`); more → better graph, slower build (default: 200). */
  readonly efConstruction: number;
  /** Size of the candidate list while searching (hnswlib `ef`, raised to k when k is larger); more → better recall, slower search (default: 256). */
  readonly ef: number;
  /** Seed of hnswlib's level generator, so equal inputs build equal graphs (default: 100). */
  readonly randomSeed: number;
  /** Capacity reserved up front when an index is created empty; it doubles when full (default: 1024). */
  readonly initialCapacity: number;
}

/** The defaults documented on each field of `HnswParams`. */
export const DEFAULT_HNSW_PARAMS: HnswParams = Object.freeze({
  m: 32,
  efConstruction: 200,
  ef: 256,
  randomSeed: 100,
  initialCapacity: 1024,
});

/** Validates user-supplied params (CLI flags, saved label files); unknown keys are rejected. */
export const hnswParamsSchema = z
  .object({
    m: z.int().min(2).max(512),
    efConstruction: z.int().min(1).max(100_000),
    ef: z.int().min(1).max(100_000),
    randomSeed: z.int().min(0),
    initialCapacity: z.int().min(1),
  })
  .strict();

/** Defaults overlaid with the given fields, validated. */
export function resolveHnswParams(overrides: Partial<HnswParams> = {}): HnswParams {
  return Object.freeze(hnswParamsSchema.parse({ ...DEFAULT_HNSW_PARAMS, ...overrides }));
}
