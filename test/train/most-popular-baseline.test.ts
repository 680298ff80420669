import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/data/snapshot.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import type { InteractionLog } from '../../src/store/interaction-log.js';
import { evaluateMostPopularOnValidation } from '../../src/train/evaluate-model.js';
import { popularityFloorWarning } from '../../src/train/popularity-floor-warning.js';
import { formatEpoch } from '../../src/train/progress-observer.js';
import { trainModel } from '../../src/train/train-model.js';
import { plantedLog } from './planted-log.js';

const kernels = await selectBackend('cpu');

/**
 * 25 items i0..i24. Training: u0, u1, u2 each saw i0; u3 saw i0..i22. Validation: everyone's
 * truth is i24, which no one trained on. Training counts: i0 4, i1..i22 1, i23 and i24 0, so the
 * popularity order is i0, i1, …, i22, i23, i24 (ties by index). Counted over all interactions
 * instead, i24 (4 validation rows) would rank first for everyone.
 */
function skewedLog(): { log: InteractionLog; validation: Uint8Array } {
  const rows: [number, number, boolean][] = [];
  for (const u of [0, 1, 2]) rows.push([u, 0, false]);
  for (let i = 0; i <= 22; i++) rows.push([3, i, false]);
  for (const u of [0, 1, 2, 3]) rows.push([u, 24, true]);
  const log: InteractionLog = {
    users: [0, 1, 2, 3].map((u) => ({ externalId: `u${u}`, features: {} })),
    items: Array.from({ length: 25 }, (_, i) => ({ externalId: `i${i}`, features: {} })),
    featureFields: [],
    interactions: {
      user: Int32Array.from(rows, (r) => r[0]),
      item: Int32Array.from(rows, (r) => r[1]),
      ts: Float64Array.from(rows, (_, k) => 1000 + k),
      weight: new Float32Array(rows.length).fill(1),
    },
  };
  return { log, validation: Uint8Array.from(rows, (r) => (r[2] ? 1 : 0)) };
}

describe('evaluateMostPopularOnValidation', () => {
  it("ranks by training popularity only, the user's training items excluded", () => {
    const { log, validation } = skewedLog();
    const snapshot = buildSnapshot(log, { split: { kind: 'explicit', validation } });
    // u0..u2 exclude i0: i24 is 24th of the 24 remaining → outside the top 20: recall 0.
    // u3 excludes i0..i22: ranking [i23, i24] → a hit at rank 2: recall 1, NDCG 1/log2 3.
    const r = evaluateMostPopularOnValidation(snapshot, new Int32Array([0, 1, 2, 3]));
    expect(r!['recall@20']).toBeCloseTo(1 / 4, 12);
    expect(r!['ndcg@20']).toBeCloseTo(1 / Math.log2(3) / 4, 12);
    // Only the users asked for: u3 alone.
    expect(evaluateMostPopularOnValidation(snapshot, new Int32Array([3]))).toEqual({ 'recall@20': 1, 'ndcg@20': 1 / Math.log2(3) });
  });

  it('is null without validation data or users', () => {
    const { log, validation } = skewedLog();
    expect(evaluateMostPopularOnValidation(buildSnapshot(log, { split: { kind: 'none' } }), new Int32Array([0]))).toBeNull();
    expect(evaluateMostPopularOnValidation(buildSnapshot(log, { split: { kind: 'explicit', validation } }), new Int32Array([]))).toBeNull();
  });
});

describe('trainModel records the most-popular ranking beside the model', () => {
  it('puts the same figures as evaluateMostPopularOnValidation on every epoch, and the epoch line shows them', () => {
    const snapshot = buildSnapshot(plantedLog(6));
    const r = trainModel(
      kernels,
      snapshot,
      { epochs: 2, batchSize: 64, globalNegatives: 16, sslBatchSize: 16, patience: 3 },
      { embeddingDim: 8, hiddenSizes: [16, 8] },
    );
    // 120 users, all with a held-out item, fewer than maxEvalUsers: every one is evaluated.
    const users = Int32Array.from({ length: 120 }, (_, u) => u);
    const expected = evaluateMostPopularOnValidation(snapshot, users)!;
    expect(expected['recall@20']).toBeGreaterThan(0);
    for (const e of r.epochs) expect(e.mostPop).toEqual(expected);
    expect(formatEpoch(r.best)).toContain(`valid recall@20 ${r.best['recall@20']!.toFixed(4)} (most-popular ${expected['recall@20'].toFixed(4)}) ndcg@20`);
    // Without a hold-out (a refit's epochs) the line says so instead of printing empty figures.
    const refit = trainModel(
      kernels,
      buildSnapshot(plantedLog(6), { split: { kind: 'none' } }),
      { epochs: 1, batchSize: 64, globalNegatives: 16, sslBatchSize: 16 },
      { embeddingDim: 8, hiddenSizes: [8] },
    );
    expect(formatEpoch(refit.best)).toMatch(
      /^epoch 1: loss [\d.]+ \(main [\d.]+, item-ssl [\d.]+, user-ssl [\d.]+\) \| no validation uniform -[\d.]+ spread [\d.]+ \| /,
    );
  });
});

describe('popularityFloorWarning', () => {
  const mostPop = { 'recall@20': 0.152, 'ndcg@20': 0.09 };

  it('warns, on several lines naming both figures and what to try, when the model is below most-popular', () => {
    const lines = popularityFloorWarning({ 'recall@20': 0.024, mostPop })!;
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join('\n')).toContain('WARNING: this model is WORSE than ranking items by popularity.');
    expect(lines.join('\n')).toContain('validation recall@20 0.0240 < most-popular 0.1520');
    expect(lines.join('\n')).toMatch(/--tune.*--no-history/);
  });

  it('stays quiet at or above most-popular, and without validation', () => {
    expect(popularityFloorWarning({ 'recall@20': 0.152, mostPop })).toBeUndefined();
    expect(popularityFloorWarning({ 'recall@20': 0.3, mostPop })).toBeUndefined();
    expect(popularityFloorWarning({ 'recall@20': null, mostPop: null })).toBeUndefined();
    expect(popularityFloorWarning({ 'recall@20': 0.01, mostPop: null })).toBeUndefined();
  });
});
