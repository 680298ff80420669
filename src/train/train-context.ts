import type { Rng } from '../common/rng.js';
import type { Snapshot } from '../data/snapshot.js';
import { createDenseAdam, type DenseAdam } from '../model/dense-adam.js';
import { fieldMutualInformation } from '../model/field-correlation.js';
import { createNegativeSampler, type NegativeSampler } from '../model/negative-sampler.js';
import { createSparseGradient, type SparseGradient } from '../model/sparse-gradient.js';
import { createSparseOptimizer, type SparseOptimizer } from '../model/sparse-optimizer.js';
import type { TwoTowerModel } from '../model/two-tower-model.js';
import type { TrainConfig } from './train-config.js';

/** The mutable state of one training run: model, optimizers, gradient buffers, sampler, generator. */
export interface TrainContext {
  readonly snapshot: Snapshot;
  readonly model: TwoTowerModel;
  readonly config: TrainConfig;
  readonly rng: Rng;
  readonly sampler: NegativeSampler;
  /** Adam over both MLPs' weights (user tower's first). */
  readonly denseAdam: DenseAdam;
  readonly userGrads: readonly SparseGradient[];
  readonly itemGrads: readonly SparseGradient[];
  readonly userOptimizers: readonly SparseOptimizer[];
  readonly itemOptimizers: readonly SparseOptimizer[];
  /** Item-field normalised mutual information [F·F] for correlated masking, else null. */
  readonly itemFieldCorrelation: Float64Array | null;
  step: number;
}

/** Builds the run's state; the sampler's popularity is the items' training counts. */
export function createTrainContext(snapshot: Snapshot, model: TwoTowerModel, config: TrainConfig, rng: Rng): TrainContext {
  const counts = Array.from(snapshot.itemFrequency, (f) => f * snapshot.train.user.length);
  const sparse = (t: TwoTowerModel['user']) => t.tables.map((tab) => createSparseOptimizer(config.sparseOptimizer, tab.weights.length, config.embeddingLearningRate));
  return {
    snapshot,
    model,
    config,
    rng,
    sampler: createNegativeSampler(counts, config.negativeSampler, config.samplerBeta),
    denseAdam: createDenseAdam([...model.user.mlp.weights, ...model.item.mlp.weights], config.learningRate),
    userGrads: model.user.tables.map(createSparseGradient),
    itemGrads: model.item.tables.map(createSparseGradient),
    userOptimizers: sparse(model.user),
    itemOptimizers: sparse(model.item),
    itemFieldCorrelation: config.correlatedMasking ? fieldMutualInformation(snapshot.items.columns, snapshot.items.externalIds.length) : null,
    step: 0,
  };
}
