import { createRng } from '../common/rng.js';
import { rankingInputOf, type EvaluationInput } from '../data/evaluation/evaluation-input.js';
import { embeddingQuality, type EmbeddingQuality } from '../metrics/embedding-quality.js';
import { evaluateFullRanking, type RankingMetricsAtK, type ScoreMatMul } from '../metrics/evaluate-full-ranking.js';

/** Everything `contrarec eval` and the experiment report for one model on one split. */
export interface EvaluationReport {
  /** Users with at least one truth item (the denominator of every ranking mean). */
  readonly evaluatedUsers: number;
  /** Items ranked for each user (the model's whole catalogue). */
  readonly catalogueItems: number;
  readonly atK: readonly RankingMetricsAtK[];
  /** Alignment over the (user, truth item) pairs, uniformity of each tower (Wang & Isola 2020). */
  readonly quality: EmbeddingQuality;
}

/** A model's embeddings, row-major: row u of `userEmbeddings` is user row u of the evaluation input. */
export interface EmbeddingsToRank {
  readonly userEmbeddings: Float32Array;
  readonly itemEmbeddings: Float32Array;
  readonly dim: number;
}

/**
 * Full-ranking metrics (`evaluateFullRanking`, head/tail by the input's item popularity) plus the
 * collapse check (`embeddingQuality`) for one set of embeddings on one evaluation input, with
 * alignment taken over the truth pairs of the evaluated users, i.e. how close the model puts
 * users to the items they actually chose next. Uniformity pairs are sampled with a fixed seed,
 * so the report is deterministic. `matMul` scores the ranking (the native GEMM, `scoresGemmOf`).
 */
export function evaluateEmbeddings(
  embeddings: EmbeddingsToRank,
  input: EvaluationInput,
  ks: readonly number[],
  options: { readonly seed?: number; readonly matMul?: ScoreMatMul } = {},
): EvaluationReport {
  const ranking = evaluateFullRanking({ ...embeddings, ...rankingInputOf(input), ks, itemPopularity: input.itemPopularity, matMul: options.matMul });
  const pairUsers: number[] = [];
  const pairItems: number[] = [];
  for (const u of input.users) {
    for (let p = input.truth.offsets[u]; p < input.truth.offsets[u + 1]; p++) {
      pairUsers.push(u);
      pairItems.push(input.truth.items[p]);
    }
  }
  const quality = embeddingQuality(
    { ...embeddings, pairUsers: Int32Array.from(pairUsers), pairItems: Int32Array.from(pairItems) },
    createRng(options.seed ?? 2024),
  );
  return { evaluatedUsers: ranking.evaluatedUsers, catalogueItems: embeddings.itemEmbeddings.length / embeddings.dim, atK: ranking.atK, quality };
}
