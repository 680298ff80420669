import type { Rng } from '../common/rng.js';
import { alignment } from './alignment.js';
import { samplePairs } from './sample-pairs.js';
import { uniformity } from './uniformity.js';

/** Inputs of `embeddingQuality`: both towers' outputs and the positive (user, item) pairs. */
export interface EmbeddingQualityInput {
  /** Row-major [numUsers, dim], L2-normalised. */
  readonly userEmbeddings: Float32Array;
  /** Row-major [numItems, dim], L2-normalised. */
  readonly itemEmbeddings: Float32Array;
  readonly dim: number;
  /** Positive pairs: user pairUsers[p] interacted with item pairItems[p]. */
  readonly pairUsers: Int32Array;
  readonly pairItems: Int32Array;
  /** Most pairs used for each uniformity; above it pairs are sampled with `rng` (default 20,000). */
  readonly maxUniformityPairs?: number;
}

/** Alignment of the positive pairs and uniformity of each tower (Wang & Isola 2020). */
export interface EmbeddingQuality {
  /** E‖f(u) − g(i)‖² over the positive pairs (see `alignment`). */
  readonly alignment: number;
  /** log E exp(−2‖f(u) − f(u')‖²) over user pairs (see `uniformity`). */
  readonly userUniformity: number;
  readonly itemUniformity: number;
}

/**
 * The collapse check of DESIGN.md: alignment (α = 2) of user and item embeddings over positive
 * pairs, and uniformity (t = 2) of each tower's embeddings, over all pairs of rows when there
 * are at most `maxUniformityPairs` of them, else over that many pairs sampled with `rng`.
 */
export function embeddingQuality(input: EmbeddingQualityInput, rng: Rng): EmbeddingQuality {
  const { userEmbeddings, itemEmbeddings, dim, pairUsers, pairItems } = input;
  if (pairUsers.length !== pairItems.length) {
    throw new RangeError(`embeddingQuality: ${pairUsers.length} pair users but ${pairItems.length} pair items`);
  }
  const x = gatherRows(userEmbeddings, dim, pairUsers);
  const y = gatherRows(itemEmbeddings, dim, pairItems);
  const max = input.maxUniformityPairs ?? 20_000;
  const spread = (emb: Float32Array): number => {
    const n = emb.length / dim;
    return uniformity(emb, dim, (n * (n - 1)) / 2 <= max ? {} : { pairs: samplePairs(n, max, rng) });
  };
  return { alignment: alignment(x, y, dim), userUniformity: spread(userEmbeddings), itemUniformity: spread(itemEmbeddings) };
}

function gatherRows(emb: Float32Array, dim: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, j) => out.set(emb.subarray(r * dim, (r + 1) * dim), j * dim));
  return out;
}
