import type { EpochLog } from '../train/train-model.js';
import type { EvaluationReport } from './evaluate-embeddings.js';
import type { EpochRecord, RunMetrics } from './experiment-results.js';

/**
 * One epoch of a training history as a report records it. Parts a variant does not train are
 * left out, and the total only when it differs from main, so the loss plot shows no flat zero
 * lines and no curve hidden under another. Throws when the epoch has no validation metrics.
 */
export function epochRecord(e: EpochLog): EpochRecord {
  const recall = e['recall@20'];
  const ndcg = e['ndcg@20'];
  if (recall === null || ndcg === null || e.alignment === null) throw new Error(`epoch ${e.epoch} has no validation metrics`);
  const loss: Record<string, number> = { main: e.loss.main };
  if (e.loss.itemSsl !== 0) loss.itemSsl = e.loss.itemSsl;
  if (e.loss.userSsl !== 0) loss.userSsl = e.loss.userSsl;
  if (e.loss.itemSsl !== 0 || e.loss.userSsl !== 0) loss.total = e.loss.total;
  return { epoch: e.epoch, seconds: e.seconds, loss, 'recall@20': recall, 'ndcg@20': ndcg, alignment: e.alignment, uniformity: e.uniformity };
}

/** The @10 and @20 figures of an evaluation (which must have been run with ks [10, 20]) as a run's metrics. */
export function runMetricsOf(r: EvaluationReport): RunMetrics {
  const at10 = r.atK.find((m) => m.k === 10);
  const at20 = r.atK.find((m) => m.k === 20);
  if (!at10 || !at20) throw new Error('runMetricsOf needs an evaluation at k = 10 and k = 20');
  return {
    'recall@10': at10.recall,
    'recall@20': at20.recall,
    'ndcg@10': at10.ndcg,
    'ndcg@20': at20.ndcg,
    'headRecall@20': at20.headRecall ?? 0,
    'tailRecall@20': at20.tailRecall ?? 0,
    'coverage@20': at20.coverage,
    alignment: r.quality.alignment,
    uniformity: r.quality.itemUniformity,
  };
}
