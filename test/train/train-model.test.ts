import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/data/snapshot.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import { trainModel } from '../../src/train/train-model.js';
import type { TrainConfig } from '../../src/train/train-config.js';
import { plantedLog } from './planted-log.js';

const kernels = await selectBackend('cpu');

// Small and fast: 120 users × 10 interactions, 120 items.
const SMALL: Partial<TrainConfig> = {
  epochs: 3,
  batchSize: 64,
  globalNegatives: 32,
  sslBatchSize: 32,
  learningRate: 5e-3,
  embeddingLearningRate: 2e-2,
  patience: 3,
};
const MODEL = { embeddingDim: 16, hiddenSizes: [32, 16] };

describe('trainModel', () => {
  it('learns planted cluster structure: validation recall far above random', () => {
    const snapshot = buildSnapshot(plantedLog(1));
    const r = trainModel(kernels, snapshot, SMALL, MODEL);
    // random ranking of ~111 remaining items with one held-out item: Recall@20 ≈ 20/111 = 0.18
    expect(r.best['recall@20']!).toBeGreaterThan(0.6);
    expect(r.epochs.length).toBeGreaterThan(1);
    expect(r.best.spread).toBeGreaterThan(0.3);
    expect(r.best.alignment!).toBeLessThan(1.2);
  });

  it("with a shared history table, the bag pools the item ids' own rows, one vector per item trained from both sides", () => {
    const snapshot = buildSnapshot(plantedLog(3));
    const cfg = { ...SMALL, epochs: 2 };
    const shared = trainModel(kernels, snapshot, cfg, { ...MODEL, shareHistoryTable: true });
    expect(shared.model.user.tables.at(-1)).toBe(shared.model.item.tables[0]);
    // random ranking: Recall@20 ≈ 0.18 (see above)
    expect(shared.best['recall@20']!).toBeGreaterThan(0.4);
    const own = trainModel(kernels, snapshot, cfg, MODEL);
    expect(own.model.user.tables.at(-1)).not.toBe(own.model.item.tables[0]);
    expect(shared.epochs.map((e) => e.loss)).not.toEqual(own.epochs.map((e) => e.loss));
  });

  it('towers without layers: the summed field vectors, normalised, are the embeddings, and they learn', () => {
    const snapshot = buildSnapshot(plantedLog(4));
    const r = trainModel(kernels, snapshot, { ...SMALL, epochs: 2 }, { embeddingDim: 16, hiddenSizes: [], fieldCombiner: 'sum' });
    expect([r.model.user.mlp.weights.length, r.model.item.mlp.weights.length]).toEqual([0, 0]);
    // random ranking: Recall@20 ≈ 0.18 (see above)
    expect(r.best['recall@20']!).toBeGreaterThan(0.4);
  });

  it('same seed and backend give the same metrics; another seed differs', () => {
    const snapshot = buildSnapshot(plantedLog(2));
    const cfg = { ...SMALL, epochs: 1 };
    const a = trainModel(kernels, snapshot, cfg, MODEL).epochs;
    const b = trainModel(kernels, snapshot, cfg, MODEL).epochs;
    const c = trainModel(kernels, snapshot, { ...cfg, seed: 7 }, MODEL).epochs;
    const strip = (e: typeof a) => e.map(({ seconds, examplesPerSecond, ...rest }) => (void seconds, void examplesPerSecond, rest));
    expect(strip(b)).toEqual(strip(a));
    expect(strip(c)).not.toEqual(strip(a));
  });

  it('trains with the robust options (RINCE, edge-dropout views, agreement weights), deterministically', () => {
    const snapshot = buildSnapshot(plantedLog(5));
    const cfg: Partial<TrainConfig> = { ...SMALL, epochs: 2, rinceQ: 0.5, historyViewDropout: 'edges', agreementSharpness: 5, userSslWeight: 0.1 };
    const a = trainModel(kernels, snapshot, cfg, MODEL);
    const b = trainModel(kernels, snapshot, cfg, MODEL);
    // random ranking: Recall@20 ≈ 0.18 (see above)
    expect(a.best['recall@20']!).toBeGreaterThan(0.4);
    expect(a.epochs.every((e) => e.loss.userSsl > 0)).toBe(true);
    expect(b.epochs.map((e) => [e.loss, e['recall@20']])).toEqual(a.epochs.map((e) => [e.loss, e['recall@20']]));
  });

  it('trains with relative RINCE, with the reweighted loss, and with stray items inserted into user views, deterministically', () => {
    const snapshot = buildSnapshot(plantedLog(5));
    for (const robust of [{ rinceQ: 0.1, rinceLambda: 3, rinceRelative: true }, { reweightBeta: 0.1 }, { historyInsertRate: 0.2 }]) {
      const cfg: Partial<TrainConfig> = { ...SMALL, epochs: 2, ...robust };
      const a = trainModel(kernels, snapshot, cfg, MODEL);
      const b = trainModel(kernels, snapshot, cfg, MODEL);
      // random ranking: Recall@20 ≈ 0.18 (see above)
      expect(a.best['recall@20']!).toBeGreaterThan(0.4);
      expect(b.epochs.map((e) => [e.loss, e['recall@20']])).toEqual(a.epochs.map((e) => [e.loss, e['recall@20']]));
    }
    // The inserted rows reach the user views that the SSL term compares.
    const off = trainModel(kernels, snapshot, { ...SMALL, epochs: 1 }, MODEL);
    const on = trainModel(kernels, snapshot, { ...SMALL, epochs: 1, historyInsertRate: 0.2 }, MODEL);
    expect(on.epochs[0].loss.userSsl).not.toBe(off.epochs[0].loss.userSsl);
  });

  it("with the adaptive temperature, trains epoch 1 at the configured τ and later epochs at the rule's, deterministically", () => {
    const snapshot = buildSnapshot(plantedLog(5));
    const cfg: Partial<TrainConfig> = { ...SMALL, epochs: 3, adaptiveTemperature: true };
    const a = trainModel(kernels, snapshot, cfg, MODEL);
    const b = trainModel(kernels, snapshot, cfg, MODEL);
    // random ranking: Recall@20 ≈ 0.18 (see above)
    expect(a.best['recall@20']!).toBeGreaterThan(0.4);
    expect(a.epochs[0].temperature).toBe(0.1);
    for (const e of a.epochs.slice(1)) {
      expect(e.temperature).not.toBe(0.1);
      expect(e.temperature).toBeGreaterThanOrEqual(0.03);
      expect(e.temperature).toBeLessThanOrEqual(0.5);
    }
    expect(b.epochs.map((e) => [e.temperature, e.loss, e['recall@20']])).toEqual(a.epochs.map((e) => [e.temperature, e.loss, e['recall@20']]));
    const fixed = trainModel(kernels, snapshot, { ...cfg, adaptiveTemperature: false }, MODEL);
    expect(fixed.epochs.map((e) => e.temperature)).toEqual([0.1, 0.1, 0.1]);
  });

  it('trains with strength-weighted positives, deterministically; off, the strengths change nothing', () => {
    const log = plantedLog(6);
    const weight = Float32Array.from(log.interactions.user, (_, k) => (k * 7) % 11);
    const snapshot = buildSnapshot({ ...log, interactions: { ...log.interactions, weight } });
    const cfg: Partial<TrainConfig> = { ...SMALL, epochs: 1 };
    const strip = (r: ReturnType<typeof trainModel>) => r.epochs.map((e) => [e.loss, e['recall@20']]);
    const a = trainModel(kernels, snapshot, { ...cfg, positiveWeighting: 'log' }, MODEL);
    const b = trainModel(kernels, snapshot, { ...cfg, positiveWeighting: 'log' }, MODEL);
    expect(a.best['recall@20']!).toBeGreaterThan(0.3);
    expect(strip(b)).toEqual(strip(a));
    const off = trainModel(kernels, snapshot, cfg, MODEL);
    expect(strip(off)).not.toEqual(strip(a));
    expect(strip(off)).toEqual(strip(trainModel(kernels, buildSnapshot(log), cfg, MODEL)));
  });

  it('stops with a clear message when the loss becomes NaN', () => {
    const snapshot = buildSnapshot(plantedLog(3));
    // τ = 1e-40 is 0 in float32: 1/τ = Infinity, scores × Infinity → NaN logits.
    expect(() => trainModel(kernels, snapshot, { ...SMALL, temperature: 1e-40 }, MODEL)).toThrow(
      'training diverged: the loss is NaN at epoch 1, step 1; lower --learning-rate or raise --temperature',
    );
  });

  it('stops with a clear message when the item embeddings collapse', () => {
    // No item features and every item id pooled into OOV: all items get the same input, so the item
    // tower maps them to one vector whatever it learns — a collapsed item space.
    const log = plantedLog(4);
    const snapshot = buildSnapshot({ ...log, featureFields: log.featureFields.filter((f) => f.entity === 'user') }, { idMinCount: 1_000_000 });
    expect(() => trainModel(kernels, snapshot, SMALL, MODEL)).toThrow(
      /^training collapsed at epoch 1: item embedding spread -?\d\.\d\de-\d+ < 0\.01 \(all items map to nearly the same vector\); lower --learning-rate or raise --temperature$/,
    );
  });
});
