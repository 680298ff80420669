import type { Rng } from '../common/rng.js';
import { resolveHistoryMode, type ResolvedHistoryMode } from '../data/history-mode.js';
import type { Snapshot } from '../data/snapshot.js';
import { createDenseAdam, type DenseAdam } from '../kernels/dense-adam.js';
import type { Kernels } from '../kernels/kernels.js';
import { createSparseGradient, type SparseGradient } from '../kernels/sparse-gradient.js';
import { createSparseOptimizer, type SparseOptimizer } from '../kernels/sparse-optimizer.js';
import { fieldMutualInformation } from '../model/field-correlation.js';
import { createNegativeSampler, type NegativeSampler } from '../model/negative-sampler.js';
import type { EmbeddingTable } from '../model/embedding-table.js';
import type { TwoTowerModel } from '../model/two-tower-model.js';
import type { TrainConfig } from './train-config.js';

/** The mutable state of one training run: model, optimizers, gradient buffers, sampler, generator. */
export interface TrainContext {
  /** The runtime the run trains on (`selectBackend`): its matmuls, table kernels and optimizer loops. */
  readonly kernels: Kernels;
  readonly snapshot: Snapshot;
  readonly model: TwoTowerModel;
  readonly config: TrainConfig;
  readonly rng: Rng;
  readonly sampler: NegativeSampler;
  /** Adam over both MLPs' weights (user tower's first). */
  readonly denseAdam: DenseAdam;
  readonly userGrads: readonly SparseGradient[];
  readonly itemGrads: readonly SparseGradient[];
  /** Each distinct table's gradient and optimizer once (a table two towers share appears once). */
  readonly sparseUpdates: readonly { readonly grad: SparseGradient; readonly optimizer: SparseOptimizer }[];
  /** Item-field normalised mutual information [F·F] for correlated masking, else null. */
  readonly itemFieldCorrelation: Float64Array | null;
  /** The history mode `auto` resolved to for this snapshot. */
  readonly historyMode: ResolvedHistoryMode;
  step: number;
  /** τ of the main loss for the current epoch: `config.temperature`, or the adaptive rule's. */
  temperature: number;
}

/** Builds the run's state on `kernels`; the sampler's popularity is the items' training counts. */
export function createTrainContext(kernels: Kernels, snapshot: Snapshot, model: TwoTowerModel, config: TrainConfig, rng: Rng): TrainContext {
  const counts = Array.from(snapshot.itemFrequency, (f) => f * snapshot.train.user.length);
  // One gradient buffer and one optimizer per table object, so a shared table gets both towers'
  // gradients summed into one Adam step.
  const perTable = new Map<EmbeddingTable, { grad: SparseGradient; optimizer: SparseOptimizer }>();
  const updateOf = (tab: EmbeddingTable) => {
    let u = perTable.get(tab);
    if (u === undefined)
      perTable.set(
        tab,
        (u = {
          grad: createSparseGradient(tab),
          optimizer: createSparseOptimizer(kernels.paired, config.sparseOptimizer, tab.weights.length, config.embeddingLearningRate),
        }),
      );
    return u;
  };
  const itemUpdates = model.item.tables.map(updateOf);
  const userUpdates = model.user.tables.map(updateOf);
  return {
    kernels,
    snapshot,
    model,
    config,
    rng,
    sampler: createNegativeSampler(counts, config.negativeSampler, config.samplerBeta),
    denseAdam: createDenseAdam(kernels.paired, [...model.user.mlp.weights, ...model.item.mlp.weights], config.learningRate),
    userGrads: userUpdates.map((u) => u.grad),
    itemGrads: itemUpdates.map((u) => u.grad),
    sparseUpdates: [...perTable.values()],
    itemFieldCorrelation: config.correlatedMasking ? fieldMutualInformation(snapshot.items.columns, snapshot.items.externalIds.length) : null,
    historyMode: resolveHistoryMode(config.historyMode),
    step: 0,
    temperature: config.temperature,
  };
}
