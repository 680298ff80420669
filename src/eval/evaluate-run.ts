import { evaluationInput } from '../data/evaluation/evaluation-input.js';
import { servingHistory } from '../data/serving-history.js';
import type { Snapshot } from '../data/snapshot.js';
import type { Kernels } from '../kernels/kernels.js';
import { scoresGemmOf } from '../kernels/scores-gemm.js';
import { towerOutputDim } from '../model/model-config.js';
import { embedAllItems, embedAllUsers, type TwoTowerModel } from '../model/two-tower-model.js';
import type { InteractionColumns } from '../store/index.js';
import type { RunMetrics } from './experiment-results.js';
import { evaluateEmbeddings } from './evaluate-embeddings.js';
import { runMetricsOf } from './run-record-parts.js';
import { maskedRows, type RunTrainingLog } from './run-training-log.js';

/** A run's test figures: on every test row, and with a minimum rating on the liked rows only. */
export interface RunTestMetrics {
  readonly metrics: RunMetrics;
  readonly likedMetrics?: RunMetrics;
}

/**
 * Tests one trained model once, the benchmark's test protocol: users embedded from everything
 * they did before the test period (their (noisy) train and valid rows, as they would be served),
 * all items ranked, those same train + valid items excluded, truth = the clean test rows (their
 * weight is the file's rating). Head/tail popularity is the item's count in the (noisy) training
 * rows. With `testMinRating`, the same embeddings are scored a second time with only the test
 * rows rated at least that as the truth (`evaluationInput`'s `minRating`).
 */
export function evaluateRun(
  kernels: Kernels,
  model: TwoTowerModel,
  snapshot: Snapshot,
  run: RunTrainingLog,
  test: InteractionColumns,
  testMinRating?: number,
): RunTestMetrics {
  const seen = run.log.interactions;
  const inputOf = (minRating: number | undefined) =>
    evaluationInput({
      kind: 'test',
      numUsers: run.log.users.length,
      numItems: run.log.items.length,
      seen,
      truth: { user: test.user, item: test.item, rating: test.weight },
      minRating,
      trained: maskedRows(
        seen,
        Uint8Array.from(run.validation, (v) => 1 - v),
      ),
    });
  const embeddings = {
    userEmbeddings: embedAllUsers(kernels, model, snapshot, servingHistory(run.log, snapshot)),
    itemEmbeddings: embedAllItems(kernels, model, snapshot),
    dim: towerOutputDim(model.config),
  };
  const matMul = scoresGemmOf(kernels);
  const metrics = runMetricsOf(evaluateEmbeddings(embeddings, inputOf(undefined), [10, 20], { matMul }));
  if (testMinRating === undefined) return { metrics };
  return { metrics, likedMetrics: runMetricsOf(evaluateEmbeddings(embeddings, inputOf(testMinRating), [10, 20], { matMul })) };
}
