import type { Kernels } from './kernels.js';

/**
 * `c [m, n] = a [m, d] · b [n, d]ᵀ` on row-major float32 arrays, `c` overwritten: the scores of m
 * queries against n candidates (a full-ranking evaluation's tiles).
 */
export type ScoresGemm = (a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, d: number) => void;

/**
 * The native GEMM as a score product, on the addon's threads, or undefined where the addon does
 * not load (callers then keep their portable loops). Outside TF.js: a tile of scores is consumed
 * at once by a top-K selection, so a tensor and its copy back would be pure overhead.
 */
export function scoresGemmOf(kernels: Pick<Kernels, 'addon'>): ScoresGemm | undefined {
  const { addon } = kernels;
  if (addon === undefined) return undefined;
  return (a, b, c, m, n, d) => addon.gemm(a, b, c, m, n, d, false, true);
}
