import type { Rng } from '../common/rng.js';
import { evaluationInput, rankingInputOf } from '../data/evaluation/evaluation-input.js';
import type { Snapshot } from '../data/snapshot.js';
import { alignment } from '../metrics/alignment.js';
import { evaluateFullRanking } from '../metrics/evaluate-full-ranking.js';
import { evaluateMostPopular } from '../metrics/evaluate-most-popular.js';
import { keyedMetrics, metricKey, type KeyedMetrics, type MetricKey } from '../metrics/metric-key.js';
import { samplePairs } from '../metrics/sample-pairs.js';
import { uniformity } from '../metrics/uniformity.js';
import type { Kernels } from '../kernels/kernels.js';
import { scoresGemmOf } from '../kernels/scores-gemm.js';
import { towerOutputDim } from '../model/model-config.js';
import { embedAllItems, embedAllUsers, type TwoTowerModel } from '../model/two-tower-model.js';

/** The cut-off the trainer validates at (and early-stops on): its figures are `recall@20` and `ndcg@20`. */
export const VALIDATION_K = 20;

/** The validation figures of one epoch by key (`recall@20`, `ndcg@20`); null without validation data. */
export type ValidationMetrics = Readonly<Record<MetricKey<'recall' | 'ndcg'>, number | null>>;

/** Per-epoch health and quality numbers; ranking metrics are null without validation data. */
export interface EpochMetrics extends ValidationMetrics {
  /** Wang & Isola alignment of (user, validation item) pairs; null without validation. */
  readonly alignment: number | null;
  /** Wang & Isola uniformity of the item embeddings (0 = collapsed, lower = more uniform). */
  readonly uniformity: number;
  /** 1 − ‖mean item embedding‖²: the mean squared distance of unit vectors to their centroid. */
  readonly spread: number;
}

/** The most-popular ranking's validation figures (`recall@20`, `ndcg@20`): the floor a trained model has to clear. */
export type MostPopularMetrics = KeyedMetrics<'recall' | 'ndcg'>;

const NO_VALIDATION: ValidationMetrics = { [metricKey('recall', VALIDATION_K)]: null, [metricKey('ndcg', VALIDATION_K)]: null };

/**
 * Recall@20/NDCG@20 of ranking every item by its training popularity, on exactly the split,
 * users and exclusions `evaluateModel` ranks the model on, so that the two figures compare
 * like with like; null without validation data. The ranking does not depend on the model, so
 * the trainer computes it once per run.
 */
export function evaluateMostPopularOnValidation(snapshot: Snapshot, evalUsers: Int32Array): MostPopularMetrics | null {
  if (evalUsers.length === 0 || snapshot.validation.rows.length === 0) return null;
  const input = evaluationInput({ kind: 'validation', snapshot, users: evalUsers });
  const r = evaluateMostPopular({ itemCounts: input.itemPopularity, ...rankingInputOf(input), ks: [VALIDATION_K] });
  return keyedMetrics(r.atK, ['recall', 'ndcg']);
}

/** Mean squared distance of the rows (unit vectors) to their centroid: 1 − ‖μ‖². */
export function embeddingSpread(emb: Float32Array, dim: number): number {
  const n = emb.length / dim;
  const mean = new Float64Array(dim);
  for (let r = 0; r < n; r++) for (let k = 0; k < dim; k++) mean[k] += emb[r * dim + k] / n;
  return 1 - mean.reduce((s, x) => s + x * x, 0);
}

/**
 * Full-ranking validation (benchmark protocol: the user's training items excluded, all items
 * ranked) on `evalUsers`, plus alignment on the validation pairs and uniformity/spread of items.
 * Embeds on `kernels`, and scores on its native GEMM where the addon loads.
 */
export function evaluateModel(kernels: Kernels, model: TwoTowerModel, snapshot: Snapshot, evalUsers: Int32Array, rng: Rng): EpochMetrics {
  const dim = towerOutputDim(model.config);
  const items = embedAllItems(kernels, model, snapshot);
  const numItems = items.length / dim;
  const spread = embeddingSpread(items, dim);
  const uni = uniformity(items, dim, { pairs: samplePairs(numItems, Math.min(20000, (numItems * (numItems - 1)) / 2), rng) });
  if (evalUsers.length === 0 || snapshot.validation.rows.length === 0) return { ...NO_VALIDATION, alignment: null, uniformity: uni, spread };
  const users = embedAllUsers(kernels, model, snapshot);
  const input = evaluationInput({ kind: 'validation', snapshot, users: evalUsers });
  const r = evaluateFullRanking({
    userEmbeddings: users,
    itemEmbeddings: items,
    dim,
    ...rankingInputOf(input),
    ks: [VALIDATION_K],
    matMul: scoresGemmOf(kernels),
  });
  const { truth } = input;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const u of input.users) {
    for (let p = truth.offsets[u]; p < truth.offsets[u + 1] && xs.length < 20000 * dim; p++) {
      xs.push(...users.subarray(u * dim, (u + 1) * dim));
      ys.push(...items.subarray(truth.items[p] * dim, (truth.items[p] + 1) * dim));
    }
  }
  const align = alignment(Float32Array.from(xs), Float32Array.from(ys), dim);
  return { ...keyedMetrics(r.atK, ['recall', 'ndcg']), alignment: align, uniformity: uni, spread };
}
