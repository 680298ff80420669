import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../common/rng.js';
import { specRows, type FeatureSpec } from '../data/feature-spec.js';
import { poolBags, scatterBagGradients, type BatchBags } from './bag-pooling.js';
import { createEmbeddingTable, type EmbeddingTable } from './embedding-table.js';
import { createMlp, mlpForward, type Mlp } from './mlp.js';
import type { SparseGradient } from './sparse-gradient.js';

/**
 * One tower: per feature an embedding table (mean-pooled over the feature's bag), the pooled
 * vectors concatenated in field order, then the MLP and L2 normalisation.
 */
export interface Tower {
  readonly fields: readonly FeatureSpec[];
  readonly tables: readonly EmbeddingTable[];
  readonly mlp: Mlp;
}

/** A fresh tower for these feature specs. */
export function createTower(fields: readonly FeatureSpec[], embeddingDim: number, hiddenSizes: readonly number[], initScale: number, rng: Rng): Tower {
  const tables = fields.map((f) => createEmbeddingTable(specRows(f), embeddingDim, rng, initScale));
  return { fields, tables, mlp: createMlp(fields.length * embeddingDim, hiddenSizes, rng) };
}

/** The MLP's input [n, F·dim]: the mean-pooled bag of each field, concatenated. `bags[f]` is field f's. */
export function towerInput(tower: Tower, bags: readonly BatchBags[]): Float32Array {
  const n = bags[0].offsets.length - 1;
  const stride = tower.mlp.inputSize;
  const out = new Float32Array(n * stride);
  tower.tables.forEach((table, f) => poolBags(table, bags[f], out, stride, f * table.dim));
  return out;
}

/** Backward of {@link towerInput}: scatters the input gradient [n, F·dim] into each table's sparse gradient. */
export function scatterTowerGradients(tower: Tower, grad: Float32Array, bags: readonly BatchBags[], grads: readonly SparseGradient[]): void {
  const stride = tower.mlp.inputSize;
  tower.tables.forEach((table, f) => scatterBagGradients(grad, stride, f * table.dim, bags[f], grads[f]));
}

/** Inference: L2-normalised embeddings [n, d] of the entities whose bags are given. */
export function embedBags(tower: Tower, bags: readonly BatchBags[]): Float32Array {
  const n = bags[0].offsets.length - 1;
  const input = towerInput(tower, bags);
  return tf.tidy(() => mlpForward(tf.tensor2d(input, [n, tower.mlp.inputSize]), tower.mlp.weights).dataSync() as Float32Array);
}
