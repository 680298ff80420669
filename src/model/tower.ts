import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../common/rng.js';
import { specRows, type FeatureSpec } from '../data/feature-spec.js';
import type { Kernels } from '../kernels/kernels.js';
import type { PairedKernels } from '../kernels/paired-kernels.js';
import type { SparseGradient } from '../kernels/sparse-gradient.js';
import type { BatchBags } from './batch-bags.js';
import { createEmbeddingTable, type EmbeddingTable } from './embedding-table.js';
import { createMlp, mlpForward, type Mlp } from './mlp.js';
import type { FieldCombiner } from './model-config.js';

/**
 * One tower: per feature an embedding table (mean-pooled over the feature's bag), the pooled
 * vectors concatenated in field order or summed, then the MLP and L2 normalisation.
 */
export interface Tower {
  readonly fields: readonly FeatureSpec[];
  readonly tables: readonly EmbeddingTable[];
  readonly combiner: FieldCombiner;
  readonly mlp: Mlp;
}

/** Width of the MLP's input for F fields of `embeddingDim` joined by `combiner`. */
export function towerInputSize(fields: number, embeddingDim: number, combiner: FieldCombiner): number {
  return combiner === 'sum' ? embeddingDim : fields * embeddingDim;
}

/** A fresh tower for these feature specs; `shared[f]`, where given, is field f's table (owned by another tower). */
export function createTower(
  fields: readonly FeatureSpec[],
  embeddingDim: number,
  combiner: FieldCombiner,
  hiddenSizes: readonly number[],
  initScale: number,
  rng: Rng,
  shared: readonly (EmbeddingTable | undefined)[] = [],
): Tower {
  const tables = fields.map((f, k) => shared[k] ?? createEmbeddingTable(specRows(f), embeddingDim, rng, initScale));
  return { fields, tables, combiner, mlp: createMlp(towerInputSize(fields.length, embeddingDim, combiner), hiddenSizes, rng) };
}

// Summed fields all pool into (and take their gradient from) the same columns.
function fieldOffset(tower: Tower, f: number): number {
  return tower.combiner === 'sum' ? 0 : f * tower.tables[f].dim;
}

/**
 * The MLP's input [n, inputSize]: the mean-pooled bag of each field, joined. `bags[f]` is field
 * f's. Pooled by `paired.poolBags` (C++ where the addon loads).
 */
export function towerInput(paired: PairedKernels, tower: Tower, bags: readonly BatchBags[]): Float32Array {
  const n = bags[0].offsets.length - 1;
  const stride = tower.mlp.inputSize;
  const out = new Float32Array(n * stride);
  tower.tables.forEach((table, f) => paired.poolBags(table, bags[f], out, stride, fieldOffset(tower, f)));
  return out;
}

/** Backward of {@link towerInput}: scatters the input gradient [n, inputSize] into each table's sparse gradient. */
export function scatterTowerGradients(
  paired: PairedKernels,
  tower: Tower,
  grad: Float32Array,
  bags: readonly BatchBags[],
  grads: readonly SparseGradient[],
): void {
  const stride = tower.mlp.inputSize;
  tower.tables.forEach((_, f) => paired.scatterBagGradients(grad, stride, fieldOffset(tower, f), bags[f], grads[f]));
}

/** Inference: L2-normalised embeddings [n, d] of the entities whose bags are given, on `kernels`. */
export function embedBags(kernels: Kernels, tower: Tower, bags: readonly BatchBags[]): Float32Array {
  const n = bags[0].offsets.length - 1;
  const input = towerInput(kernels.paired, tower, bags);
  return tf.tidy(() => mlpForward(kernels.matMuls, tf.tensor2d(input, [n, tower.mlp.inputSize]), tower.mlp.weights).dataSync() as Float32Array);
}
