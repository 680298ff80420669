import { servingHistory } from '../data/serving-history.js';
import type { Snapshot } from '../data/snapshot.js';
import { buildUserItemLists } from '../metrics/build-user-item-lists.js';
import type { Kernels } from '../kernels/kernels.js';
import { embedAllItems, embedAllUsers, type TwoTowerModel } from '../model/two-tower-model.js';
import type { InteractionColumns } from '../store/index.js';
import type { RunMetrics } from './experiment-results.js';
import { evaluateEmbeddings } from './evaluate-embeddings.js';
import { runMetricsOf } from './run-record-parts.js';
import type { RunTrainingLog } from './run-training-log.js';

/**
 * Tests one trained model once, the benchmark's test protocol: users embedded from everything
 * they did before the test period (their (noisy) train and valid rows, as they would be served),
 * all items ranked, those same train + valid items excluded, truth = the clean test rows.
 * Head/tail popularity is the item's count in the (noisy) training rows.
 */
export function evaluateRun(kernels: Kernels, model: TwoTowerModel, snapshot: Snapshot, run: RunTrainingLog, test: InteractionColumns): RunMetrics {
  const numUsers = run.log.users.length;
  const numItems = run.log.items.length;
  const seen = run.log.interactions;
  const popularity = new Float64Array(numItems);
  seen.item.forEach((i, k) => run.validation[k] === 0 && popularity[i]++);
  const truth = buildUserItemLists(numUsers, test.user, test.item);
  const r = evaluateEmbeddings({
    userEmbeddings: embedAllUsers(kernels, model, snapshot, servingHistory(run.log, snapshot)),
    itemEmbeddings: embedAllItems(kernels, model, snapshot),
    dim: model.config.hiddenSizes.at(-1)!,
    users: Int32Array.from({ length: numUsers }, (_, u) => u),
    exclude: buildUserItemLists(numUsers, seen.user, seen.item),
    truth,
    ks: [10, 20],
    itemPopularity: popularity,
  });
  return runMetricsOf(r);
}
