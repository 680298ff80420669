/** The per-cut-off ranking metrics a figure can be of. */
export const RANKING_METRICS = ['recall', 'ndcg', 'hitRate', 'coverage', 'headRecall', 'tailRecall'] as const;

/** One of {@link RANKING_METRICS}. */
export type RankingMetric = (typeof RANKING_METRICS)[number];

/** A figure's key: the metric and its cut-off K, e.g. `recall@20`; K is data, not part of a name. */
export type MetricKey<M extends RankingMetric = RankingMetric> = `${M}@${number}`;

/** Figures keyed by {@link MetricKey}, e.g. `{ 'recall@20': 0.28, 'ndcg@20': 0.17 }`. */
export type KeyedMetrics<M extends RankingMetric = RankingMetric> = Readonly<Record<MetricKey<M>, number>>;

/** The key of `metric` at cut-off `k`. */
export function metricKey<M extends RankingMetric>(metric: M, k: number): MetricKey<M> {
  return `${metric}@${k}`;
}

/**
 * The chosen metrics of per-K results (`evaluateFullRanking`'s or `evaluateMostPopular`'s `atK`)
 * as keyed figures, every K of the results; a null figure (no head or tail users) is left out.
 *
 * @example
 *   keyedMetrics(r.atK, ['recall', 'ndcg']); // { 'recall@10': …, 'ndcg@10': …, 'recall@20': …, 'ndcg@20': … }
 */
export function keyedMetrics<M extends RankingMetric>(
  atK: readonly ({ readonly k: number } & { readonly [P in M]: number | null })[],
  metrics: readonly M[],
): KeyedMetrics<M> {
  const out: Record<string, number> = {};
  for (const at of atK) {
    for (const m of metrics) {
      const value = at[m];
      if (value !== null) out[metricKey(m, at.k)] = value;
    }
  }
  return out as KeyedMetrics<M>;
}
