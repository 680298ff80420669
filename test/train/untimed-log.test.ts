import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/data/snapshot.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import type { InteractionLog } from '../../src/store/interaction-log.js';
import { trainModel } from '../../src/train/train-model.js';
import type { TrainConfig } from '../../src/train/train-config.js';
import { plantedLog } from './planted-log.js';

const kernels = await selectBackend('cpu');

const SMALL: Partial<TrainConfig> = {
  epochs: 6,
  batchSize: 64,
  globalNegatives: 32,
  sslBatchSize: 32,
  learningRate: 5e-3,
  embeddingLearningRate: 2e-2,
  patience: 6,
};
const MODEL = { embeddingDim: 16, hiddenSizes: [32, 16] };

/** The planted log with no time and no side features: only co-occurrence carries the clusters. */
function untimedPlanted(seed: number): InteractionLog {
  const log = plantedLog(seed, 240, 6, 20, 12);
  return {
    users: log.users.map((u) => ({ ...u, features: {} })),
    items: log.items.map((i) => ({ ...i, features: {} })),
    featureFields: [],
    interactions: { ...log.interactions, ts: new Float64Array(log.interactions.ts.length).fill(NaN) },
  };
}

describe('an untimed log', () => {
  it('trains (history not-after: every other item, as no time orders them) a model far above most-popular on planted structure', () => {
    const snapshot = buildSnapshot(untimedPlanted(5));
    expect(snapshot.timing.untimedShare).toBe(1);
    const r = trainModel(kernels, snapshot, SMALL, MODEL);
    expect(r.best.mostPop).not.toBeNull();
    // most-popular is near random here (20 / ~108 remaining items); the clusters are learnable.
    expect(r.best['recall@20']!).toBeGreaterThan(r.best.mostPop!['recall@20'] + 0.2);
  });
});
