import type { SearchHit } from '../index/index.js';

/** The answer shape of every top-k route. */
export interface TopKAnswer {
  /** Version of the model that produced every item of this answer. */
  readonly model: string;
  /** Best first; `score` is the cosine similarity. */
  readonly items: readonly { readonly id: string; readonly score: number }[];
}

/**
 * Drops excluded ids from index hits and keeps the best `k`, in the answer shape. The caller
 * fetched `k + (number excluded)` hits, so k remain whenever the catalogue holds enough items.
 */
export function toAnswer(version: string, hits: readonly SearchHit[], k: number, exclude: (id: string) => boolean): TopKAnswer {
  const items: { id: string; score: number }[] = [];
  for (const h of hits) {
    if (items.length === k) break;
    if (!exclude(h.id)) items.push({ id: h.id, score: h.score });
  }
  return { model: version, items };
}
