import * as tf from '@tensorflow/tfjs-core';
import type { TwoTowerModel } from '../model/two-tower-model.js';

/** A copy of every weight of a model (tables and MLP), to restore the best epoch. */
export interface WeightsCopy {
  readonly tables: Float32Array[];
  readonly mlp: Float32Array[];
}

/** Copies the model's current weights. */
export function copyWeights(model: TwoTowerModel): WeightsCopy {
  const towers = [model.user, model.item];
  return {
    tables: towers.flatMap((t) => t.tables.map((tab) => tab.weights.slice())),
    mlp: towers.flatMap((t) => t.mlp.weights.map((w) => (w.dataSync() as Float32Array).slice())),
  };
}

/** Writes a copy back into the model (same shapes). */
export function restoreWeights(model: TwoTowerModel, copy: WeightsCopy): void {
  const towers = [model.user, model.item];
  towers.flatMap((t) => t.tables).forEach((tab, k) => tab.weights.set(copy.tables[k]));
  towers
    .flatMap((t) => t.mlp.weights)
    .forEach((w, k) => {
      const value = tf.tensor(copy.mlp[k], w.shape);
      w.assign(value);
      value.dispose();
    });
}
